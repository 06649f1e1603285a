import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { InvalidArgumentError } from '../../errors.ts';

export type DetectedCompression = 'none' | 'gzip' | 'zstd' | 'xz' | 'bzip2';

/** Recognise a compressed stream by its magic bytes; anything else is taken as plain (tar). */
export function detectCompression(head: Buffer): DetectedCompression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x28b52ffd) return 'zstd';
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (head.length >= 3 && head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  return 'none';
}

/** The compression of a file on disk (a blob in the content store). */
export async function detectFileCompression(file: string): Promise<DetectedCompression> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(6);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return detectCompression(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

const HEAD_BYTES = 6;

/**
 * Wrap `src` so that it yields plain bytes, decompressing gzip (and zstd where this Node has it).
 * The source is read through an iterator that does not destroy it on an early stop, so a
 * caller (an HTTP request body) can still be drained or answered after a failure.
 * `sourceErrors` collects errors raised by `src` itself, to tell them from malformed input.
 */
export async function decompressed(src: Readable, sourceErrors: Set<unknown>): Promise<Readable> {
  const it = src.iterator({ destroyOnReturn: false })[Symbol.asyncIterator]();
  const next = async (): Promise<IteratorResult<Buffer>> => {
    try {
      return (await it.next()) as IteratorResult<Buffer>;
    } catch (e) {
      sourceErrors.add(e);
      throw e;
    }
  };
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < HEAD_BYTES) {
    const r = await next();
    if (r.done) break;
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      for (;;) {
        const r = await next();
        if (r.done) return;
        yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
      }
    } finally {
      await it.return?.();
    }
  }
  const plain = Readable.from(replay(), { objectMode: false });
  const kind = detectCompression(head);
  switch (kind) {
    case 'none':
      return plain;
    case 'gzip':
      return plain.pipe(withErrors(plain, zlib.createGunzip()));
    case 'zstd': {
      const create = (zlib as unknown as { createZstdDecompress?: () => zlib.Gunzip }).createZstdDecompress;
      if (create) return plain.pipe(withErrors(plain, create()));
      break;
    }
  }
  plain.destroy();
  throw new InvalidArgumentError(`invalid image archive: ${kind}-compressed archives are not supported; decompress it first`);
}

// pipe() does not forward errors: make the decompressor fail when its input does, and stop
// reading the input when the decompressor is torn down.
function withErrors<T extends NodeJS.ReadWriteStream & Readable>(input: Readable, out: T): T {
  input.once('error', (e) => out.destroy(e));
  out.once('close', () => input.destroy());
  return out;
}
