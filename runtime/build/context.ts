import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { applyLayer } from '../diff/apply.ts';
import { InvalidArgumentError } from '../errors.ts';
import { secureJoin } from '../util/securejoin.ts';
import { IgnoreMatcher } from './dockerignore.ts';

/** A glob as filepath.Match writes it (COPY sources): `*` and `?` within one component, `**` across them. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') { re += '.*'; i++; if (pattern[i + 1] === '/') i++; }
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The context as a complete tar. The docker CLI ends the archive it sends with `-f` outside the
 * context right after the last entry's data, without padding or end blocks, and dockerd accepts
 * it: so decompress here if needed, and complete the last block and the end marker.
 */
async function* completeTar(src: Readable): AsyncGenerator<Buffer> {
  const iter = src[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head = await iter.next();
  if (head.done) return;
  async function* rest(): AsyncGenerator<Buffer> {
    yield head.value;
    for (let r = await iter.next(); !r.done; r = await iter.next()) yield r.value;
  }
  let body: AsyncIterable<Buffer> = rest();
  if (head.value[0] === 0x1f && head.value[1] === 0x8b) body = pipeline(Readable.from(rest()), createGunzip(), () => undefined);
  let size = 0;
  for await (const c of body) {
    size += c.length;
    yield c;
  }
  yield Buffer.alloc((512 - (size % 512)) % 512 + 1024);
}

/** Drop what the matcher excludes, walking into excluded directories only when an exception may re-include something. */
async function prune(dir: string, m: IgnoreMatcher, rel = ''): Promise<void> {
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (!m.matches(p)) {
      if (e.isDirectory()) await prune(dir, m, p);
    } else if (e.isDirectory() && m.exclusions && m.mayReinclude(p)) await prune(dir, m, p);
    else await rm(join(dir, p), { recursive: true, force: true });
  }
}

/** Read the Dockerfile the request names: Docker falls back to `dockerfile` when the default is absent. */
async function readDockerfile(dir: string, name: string): Promise<string> {
  const names = name === 'Dockerfile' ? ['Dockerfile', 'dockerfile'] : [name];
  for (const n of names) {
    const text = await readFile(await secureJoin(dir, n), 'utf8').catch(() => undefined);
    if (text !== undefined) return text;
  }
  throw new InvalidArgumentError(`Cannot locate specified Dockerfile: ${name}`);
}

/**
 * Unpack the build context into a fresh directory, confined to it, and read its Dockerfile.
 * Then apply .dockerignore as the CLI does before sending (contexts uploaded by the dashboard
 * arrive unfiltered; for the CLI's this changes nothing), and, as dockerd does, remove the
 * .dockerignore and the Dockerfile themselves when they are excluded, so `COPY .` never adds them.
 */
export async function openContext(src: Readable, dockerfile: string): Promise<{ dir: string; text: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-build-'));
  try {
    await applyLayer(Readable.from(completeTar(src)), dir, { whiteouts: 'remove' });
    const text = await readDockerfile(dir, dockerfile);
    const ignore = await readFile(join(dir, '.dockerignore'), 'utf8').catch(() => '');
    if (ignore) await prune(dir, IgnoreMatcher.fromText(ignore));
    return { dir, text };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
