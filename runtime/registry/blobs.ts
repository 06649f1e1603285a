import { Readable, Transform } from 'node:stream';
import type { ContentStore } from '../content/store.ts';
import type { Digest } from '../util/digest.ts';
import { UnavailableError } from '../errors.ts';
import type { RegistryClient } from './client.ts';

export type OnBytes = (current: number) => void;

/** Counts bytes as they pass, reporting at most every 512 KiB so progress stays cheap. */
function counter(onBytes: OnBytes | undefined): Transform {
  let n = 0;
  let last = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (onBytes && (n - last >= 512 * 1024)) { last = n; onBytes(n); }
      cb(null, chunk);
    },
    flush(cb) { onBytes?.(n); cb(); },
  });
}

/** Stream a blob from the registry into the content store, verified by digest and size. */
export async function fetchBlob(client: RegistryClient, content: ContentStore, digest: Digest, size: number, onBytes?: OnBytes): Promise<void> {
  const res = await client.request('GET', `blobs/${digest}`);
  if (!res.body) throw new UnavailableError(`blob ${digest}: empty response`);
  await content.ingest(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream).pipe(counter(onBytes)), { digest, size });
}

export async function hasBlob(client: RegistryClient, digest: Digest): Promise<boolean> {
  const res = await client.request('HEAD', `blobs/${digest}`, { accept: [404] });
  await res.body?.cancel();
  return res.ok;
}

/** Monolithic upload: POST for a session, then one PUT with the whole blob and its digest. */
export async function uploadBlob(client: RegistryClient, digest: Digest, size: number, body: Readable, onBytes?: OnBytes): Promise<void> {
  const start = await client.request('POST', 'blobs/uploads/');
  await start.body?.cancel();
  const location = start.headers.get('location');
  if (!location) throw new UnavailableError(`registry ${client.domain} gave no upload location`);
  const url = new URL(location, client.base);
  url.searchParams.set('digest', digest);
  const res = await client.request('PUT', url.toString(), {
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body: body.pipe(counter(onBytes)),
  });
  await res.body?.cancel();
}
