import { Readable, type Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InvalidArgumentError } from '../errors.ts';

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/** Read at least `n` bytes (fewer only at end of stream) and put them back, so the stream is untouched. */
function peek(src: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  return new Promise((resolve, reject) => {
    // A stream handed over from elsewhere (a download) may have failed before it got here.
    if (src.destroyed) {
      reject(src.errored ?? new Error('the layer stream was closed before it was read'));
      return;
    }
    const chunks: Buffer[] = [];
    let length = 0;
    const cleanup = () => {
      src.off('readable', onReadable);
      src.off('end', onEnd);
      src.off('error', onError);
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while (length < n && (chunk = src.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        length += chunk.length;
      }
      if (length < n) return;
      cleanup();
      const head = Buffer.concat(chunks);
      src.unshift(head);
      resolve({ head, stream: src });
    };
    // A stream that ended cannot take bytes back: hand on a new one holding what there was.
    const onEnd = () => {
      cleanup();
      const head = Buffer.concat(chunks);
      resolve({ head, stream: Readable.from(head.length ? [head] : []) });
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    src.on('readable', onReadable);
    src.on('end', onEnd);
    src.on('error', onError);
  });
}

/**
 * Open a layer blob: the stream to read (with its first bytes put back) and the gunzip stage to
 * put after it, if any. The magic bytes decide, not the media type, as in containerd and Docker.
 */
export async function openLayer(src: Readable): Promise<{ stream: Readable; gunzip: Transform | null }> {
  const { head, stream } = await peek(src, 4);
  if (head.subarray(0, 4).equals(ZSTD_MAGIC)) {
    stream.destroy();
    throw new InvalidArgumentError('zstd layers are not supported');
  }
  return { stream, gunzip: head.subarray(0, 2).equals(GZIP_MAGIC) ? createGunzip() : null };
}
