import { PassThrough, Readable, Transform } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import type { ContentStore } from '../content/store.ts';
import type { Digest } from '../util/digest.ts';
import { UnavailableError } from '../errors.ts';
import type { RegistryClient } from './client.ts';

export type OnBytes = (current: number) => void;

/** Counts bytes as they pass, reporting at most every 512 KiB so progress stays cheap. */
export function counter(onBytes: OnBytes | undefined, start = 0): Transform {
  let n = start;
  let last = start;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (onBytes && (n - last >= 512 * 1024)) { last = n; onBytes(n); }
      cb(null, chunk);
    },
    flush(cb) { onBytes?.(n); cb(); },
  });
}

/** `src.pipe(t)` that also passes an error of `src` on: a plain pipe would leave `t` waiting forever. */
export function through(src: Readable, t: Transform): Transform {
  src.once('error', (e) => t.destroy(e));
  return src.pipe(t);
}

/** Bytes handed on while they are read: what a consumer takes before the blob is verified. */
export type Tap = (stream: Readable) => void;

/**
 * Stream a blob from the registry into the content store, verified by digest and size before
 * it becomes visible. An abort stops the download and leaves only a removed ingest file.
 * With `tap`, the same bytes are also handed on as they arrive (the download goes at the pace
 * of the slower reader); a consumer that stops destroys its stream and the store reads on.
 */
export async function fetchBlob(client: RegistryClient, content: ContentStore, digest: Digest, size: number, signal?: AbortSignal, onBytes?: OnBytes, tap?: Tap): Promise<void> {
  const res = await client.request('GET', `blobs/${digest}`, { signal });
  if (!res.body) throw new UnavailableError(`blob ${digest}: empty response`);
  const body = Readable.fromWeb(res.body as ReadableStream, { signal });
  const counted = through(body, counter(onBytes));
  if (tap) tap(branch(counted));
  await content.ingest(counted, { digest, size });
}

/** A second reader of `src`: it ends when `src` ends, and fails when `src` fails or stops early. */
function branch(src: Readable): Readable {
  const out = new PassThrough({ highWaterMark: 1024 * 1024 });
  // Its consumer starts reading a few awaits later; until then the error waits on the stream.
  out.on('error', () => undefined);
  let failure: Error | undefined;
  src.once('error', (e) => { failure = e; });
  src.once('close', () => {
    if (!src.readableEnded) out.destroy(failure ?? new UnavailableError('the download stopped before its end'));
  });
  src.pipe(out);
  return out;
}

export async function hasBlob(client: RegistryClient, digest: Digest, signal?: AbortSignal): Promise<boolean> {
  const res = await client.request('HEAD', `blobs/${digest}`, { accept: [404], signal });
  await res.body?.cancel();
  return res.ok;
}
