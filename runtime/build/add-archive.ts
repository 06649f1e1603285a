import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { mkdir, open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { applyLayer } from '../diff/apply.ts';

type Compression = 'none' | 'gzip' | 'bzip2' | 'xz';

const MAGIC: [Compression, Buffer][] = [
  ['gzip', Buffer.from([0x1f, 0x8b])],
  ['bzip2', Buffer.from('BZh')],
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
];

async function head(path: string, n: number): Promise<Buffer> {
  const f = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await f.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await f.close();
  }
}

/**
 * Decompress into `out`. gzip is Node's own (zlib, off the event loop in its thread pool); bzip2
 * and xz, which Node lacks, run Debian's decompressors in a child process writing the file.
 */
async function decompressTo(path: string, c: Exclude<Compression, 'none'>, out: string): Promise<boolean> {
  if (c === 'gzip') {
    try {
      await pipeline(createReadStream(path), createGunzip(), createWriteStream(out));
      return true;
    } catch { return false; }
  }
  const fd = await open(out, 'w');
  try {
    const child = spawn(c, ['-dc', path], { stdio: ['ignore', fd.fd, 'ignore'] });
    const [code] = await Promise.race([once(child, 'exit'), once(child, 'error').then(() => [1])]) as [number | null];
    return code === 0;
  } finally {
    await fd.close();
  }
}

/**
 * What ADD does with a local file: a tar archive, plain or compressed with gzip, bzip2 or xz,
 * recognised by its content (as Docker does, not by its name), is unpacked; anything else is
 * copied as it is. Returns the plain tar to unpack (`scratch` holds a decompressed copy), or null.
 */
export async function archiveTar(path: string, scratch: string): Promise<string | null> {
  const h = await head(path, 512);
  const c = MAGIC.find(([, m]) => h.subarray(0, m.length).equals(m))?.[0] ?? 'none';
  let tarPath = path;
  if (c !== 'none') {
    tarPath = scratch;
    if (!await decompressTo(path, c, tarPath)) return null;
  }
  const th = await head(tarPath, 512);
  return th.length >= 262 && th.subarray(257, 262).toString('latin1') === 'ustar' ? tarPath : null;
}

/** Unpack a plain tar into `dir`, confined to it (no entry lands outside, links included). */
export async function extractArchive(tarPath: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await applyLayer(createReadStream(tarPath), dir, { whiteouts: 'remove' });
}
