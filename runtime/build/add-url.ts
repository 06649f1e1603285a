import { createWriteStream } from 'node:fs';
import { chmod, mkdir, utimes } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { HttpClient } from '../registry/http.ts';
import { InvalidArgumentError, UnavailableError } from '../errors.ts';
import { Digester } from '../util/digest.ts';

export const isURL = (s: string): boolean => /^https?:\/\//i.test(s);

/** The name Docker gives a downloaded file: the URL path's last component. */
export function urlFileName(url: string): string {
  let u: URL;
  try { u = new URL(url); } catch { throw new InvalidArgumentError(`ADD: invalid URL: ${url}`); }
  const name = posix.basename(decodeURIComponent(u.pathname));
  if (!name || name === '/' || name === '.' || name === '..') throw new InvalidArgumentError(`ADD: cannot determine filename from url: ${url}`);
  return name;
}

/**
 * ADD <url>: download through the engine's own HTTP client into `dir/<name>`, mode 0600 as Docker
 * writes it, its mtime the response's Last-Modified (so an unchanged file keeps the layer, and
 * the cache, identical), verified against `checksum` (`sha256:<hex>`) when one is given.
 */
export async function download(http: HttpClient, url: string, dir: string, checksum?: string): Promise<string> {
  const name = urlFileName(url);
  const res = await http.fetch(url, { redirect: 'follow' }).catch((e: unknown) => {
    throw new UnavailableError(`ADD: failed to GET ${url}: ${e instanceof Error ? e.message : String(e)}`);
  });
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw new UnavailableError(`ADD: failed to GET ${url} with status ${res.status} ${res.statusText}`);
  }
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  const digester = new Digester();
  const tap = new Transform({ transform(chunk: Buffer, _e, cb) { digester.update(chunk); cb(null, chunk); } });
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>), tap, createWriteStream(path, { mode: 0o600 }));
  const got = digester.digest();
  if (checksum && got !== checksum) {
    throw new InvalidArgumentError(`ADD: checksum mismatch for ${url}: expected ${checksum}, got ${got}`);
  }
  await chmod(path, 0o600);
  const modified = Date.parse(res.headers.get('last-modified') ?? '');
  const mtime = Number.isNaN(modified) ? new Date(0) : new Date(modified);
  await utimes(path, mtime, mtime);
  return name;
}
