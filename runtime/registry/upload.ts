import type { Readable } from 'node:stream';
import { UnavailableError } from '../errors.ts';
import type { Digest } from '../util/digest.ts';
import { counter, through, type OnBytes } from './blobs.ts';
import type { RegistryClient } from './client.ts';

/** Opens the blob's bytes from `start` to `end` inclusive (the whole blob without arguments). */
export type OpenBlob = (start?: number, end?: number) => Readable;

export interface UploadOptions {
  /** Blobs larger than this go in chunks from the start; smaller ones in one PUT. */
  chunkThreshold: number;
  chunkSize: number;
  signal?: AbortSignal;
  onBytes?: OnBytes;
}

/** Statuses by which a registry (or the proxy in front of it) refuses a body too large for it. */
const TOO_LARGE = [400, 411, 413, 416];

/**
 * Upload a blob: a cross-repository mount when `from` names a repository of this registry
 * that has it (the registry answers 201 and no bytes move), otherwise one monolithic PUT, or
 * PATCH chunks with Content-Range and a closing PUT when the blob is large or the registry
 * refused the monolithic upload (chunks shrink while the registry refuses them as too large).
 * Returns how the blob got there.
 */
export async function uploadBlob(client: RegistryClient, digest: Digest, size: number, open: OpenBlob, from: string | undefined, opts: UploadOptions): Promise<'mounted' | 'pushed'> {
  const start = await client.request('POST', from ? `blobs/uploads/?mount=${digest}&from=${encodeURIComponent(from)}` : 'blobs/uploads/', { signal: opts.signal });
  await start.body?.cancel();
  if (start.status === 201) return 'mounted';
  let location = locationOf(client, start.headers.get('location'));
  if (size <= opts.chunkThreshold) {
    const put = new URL(location);
    put.searchParams.set('digest', digest);
    const res = await client.request('PUT', put.toString(), {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: through(open(), counter(opts.onBytes)),
      accept: TOO_LARGE,
      signal: opts.signal,
    });
    await res.body?.cancel();
    if (res.ok) return 'pushed';
    // Refused as a whole: a fresh session, this time in chunks (the old one may be spoiled).
    const again = await client.request('POST', 'blobs/uploads/', { signal: opts.signal });
    await again.body?.cancel();
    location = locationOf(client, again.headers.get('location'));
  }
  await uploadChunks(client, digest, size, open, location, opts);
  return 'pushed';
}

/** Chunks are halved down to this when a registry refuses them as too large. */
const MIN_CHUNK = 64 * 1024;

async function uploadChunks(client: RegistryClient, digest: Digest, size: number, open: OpenBlob, first: string, opts: UploadOptions): Promise<void> {
  let location = first;
  let chunk = opts.chunkSize;
  for (let offset = 0; offset < size;) {
    const end = Math.min(size, offset + chunk) - 1;
    const res = await client.request('PATCH', location, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(end - offset + 1), 'content-range': `${offset}-${end}` },
      body: through(open(offset, end), counter(opts.onBytes, offset)),
      accept: chunk > MIN_CHUNK ? [413] : [],
      signal: opts.signal,
    });
    await res.body?.cancel();
    if (res.status === 413) { chunk = Math.max(MIN_CHUNK, chunk >> 1); continue; }
    location = locationOf(client, res.headers.get('location') ?? location);
    offset = end + 1;
  }
  const put = new URL(location);
  put.searchParams.set('digest', digest);
  const res = await client.request('PUT', put.toString(), { headers: { 'content-length': '0' }, signal: opts.signal });
  await res.body?.cancel();
}

function locationOf(client: RegistryClient, location: string | null): string {
  if (!location) throw new UnavailableError(`registry ${client.domain} gave no upload location`);
  return new URL(location, client.base).toString();
}
