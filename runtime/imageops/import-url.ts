import { Readable, Transform, pipeline } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import type { HttpClient } from '../registry/http.ts';
import { InvalidArgumentError, ResourceExhaustedError, UnavailableError } from '../errors.ts';

/** An import fetched from a URL may be at most this large unless the engine is told otherwise. */
export const DEFAULT_IMPORT_MAX_BYTES = 8 * 1024 ** 3;

/**
 * The URL `docker import <src>` names, as dockerd reads it: without a scheme it is a host and
 * path over http. Only http and https: anything else (file:, ftp:, unix sockets) is refused.
 */
export function importURL(src: string): URL {
  const withScheme = src.includes('://') ? src : `http://${src}`;
  let url: URL;
  try { url = new URL(withScheme); } catch { throw new InvalidArgumentError(`invalid URL to import from: ${src} (fromSrc)`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`cannot import from ${src}: only http and https URLs are supported (fromSrc)`);
  }
  if (url.username || url.password) throw new InvalidArgumentError(`cannot import from ${url.host}: credentials in the URL are not supported (fromSrc)`);
  return url;
}

/** Passes bytes through until `max` have gone by, then fails the stream instead of filling the disk. */
function limit(max: number, url: URL): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) cb(new ResourceExhaustedError(`import from ${url.href}: the archive is larger than ${max} bytes`));
      else cb(null, chunk);
    },
  });
}

/**
 * Opens the archive at `url` through the engine's own HTTP client (never the global fetch),
 * following redirects; an error status, or a declared length above `maxBytes`, fails before
 * anything is stored, and a body that runs past `maxBytes` fails the import that reads it.
 */
export async function openImportURL(http: HttpClient, url: URL, maxBytes: number, signal?: AbortSignal): Promise<{ body: Readable; length?: number }> {
  const res = await http.fetch(url, { redirect: 'follow', signal }).catch((e: unknown) => {
    throw new UnavailableError(`failed to GET ${url.href}: ${e instanceof Error ? e.message : String(e)}`);
  });
  const finalURL = new URL(res.url || url.href);
  const refuse = async (e: Error): Promise<never> => {
    await res.body?.cancel().catch(() => undefined);
    throw e;
  };
  if (finalURL.protocol !== 'http:' && finalURL.protocol !== 'https:') await refuse(new InvalidArgumentError(`import from ${url.href} was redirected to an unsupported URL (fromSrc)`));
  if (!res.ok || !res.body) await refuse(new UnavailableError(`failed to GET ${url.href} with status ${res.status} ${res.statusText}`));
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await refuse(new ResourceExhaustedError(`import from ${url.href}: the archive is ${declared} bytes, more than the limit of ${maxBytes}`));
  }
  // pipeline, not pipe: a connection that breaks mid-body must fail the import, not end it early.
  const body = pipeline(Readable.fromWeb(res.body as ReadableStream<Uint8Array>), limit(maxBytes, url), () => undefined);
  return { body, length: Number.isFinite(declared) ? declared : undefined };
}
