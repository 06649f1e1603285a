import type { Readable } from 'node:stream';
import type { ContentStore } from '../content/store.ts';
import type { EventBus } from '../events/bus.ts';
import type { ImageStore } from '../images/store.ts';
import type { ImageRow, LayerRecord } from '../metadata/images.ts';
import { decodeJSON, imageConfigSchema, layerCompression, type Platform } from '../images/oci-types.ts';
import { hostPlatform } from '../images/archive/platform.ts';
import { familiarName, familiarString, fullName, parseReference, refString } from '../images/reference.ts';
import { InvalidArgumentError, UnavailableError } from '../errors.ts';
import type { Digest } from '../util/digest.ts';
import { limiter } from '../util/limit.ts';
import { RegistryClient, RegistryUnreachableError } from './client.ts';
import { resolveManifest } from './manifest.ts';
import { fetchBlob, type Tap } from './blobs.ts';
import type { Credentials } from './auth.ts';
import type { HttpClient } from './http.ts';
import type { BlobFlights, Leases } from './flights.ts';
import type { BlobSources } from './sources.ts';
import { abortError, throwIfAborted } from './abort.ts';
import { shortDigest as short, type Progress } from './progress.ts';

export interface LayerBlob { digest: Digest; mediaType: string; size: number }
/** The top layer as it downloads: its bytes, and when its blob is verified and stored. */
export interface LiveLayer { stream: Readable; stored: Promise<unknown> }
/**
 * Applies layers (bottom first) into snapshots; layers already applied are skipped. With `live`,
 * the top layer is read from that stream as it downloads and committed once `stored` resolves.
 */
export type Unpack = (layers: LayerBlob[], diffIDs: Digest[], live?: LiveLayer) => Promise<LayerRecord[]>;

export interface PullDeps {
  store: ImageStore; content: ContentStore; unpack: Unpack; events: EventBus; http: HttpClient;
  flights: BlobFlights; leases: Leases; sources: BlobSources;
  /** Layers downloaded at once by one pull. */
  concurrency: number;
}

export interface PullOptions {
  creds?: Credentials;
  /** The platform to pick from an index; what it leaves out is the host's (`--platform linux` means this architecture). */
  platform?: Partial<Platform>;
  signal?: AbortSignal;
}

/**
 * `docker pull`: manifest (an index resolved to the wanted platform) → config and layer blobs,
 * a few at once, each verified → layers unpacked bottom-up as their downloads finish → image
 * record with its tag and repo digest. Blobs fetched by a pull that fails or is cancelled are
 * taken back unless an image or another pull in progress holds them.
 */
export async function pullImage(deps: PullDeps, name: string, opts: PullOptions, progress: Progress): Promise<ImageRow> {
  const ref = parseReference(name);
  const label = familiarString(ref);
  const client = new RegistryClient(deps.http, ref.domain, ref.path, opts.creds, 'pull');
  progress({ id: ref.digest ?? ref.tag ?? 'latest', status: `Pulling from ${ref.path}` });
  let resolved;
  try {
    resolved = await resolveManifest(client, ref.digest ?? ref.tag ?? 'latest', wantedPlatform(opts.platform), label, opts.signal);
  } catch (e) {
    if (!(e instanceof RegistryUnreachableError)) throw e;
    return offline(deps, name, e, progress);
  }
  const { manifest } = resolved;
  for (const l of manifest.layers) {
    if (layerCompression(l.mediaType) === undefined) throw new InvalidArgumentError(`unsupported layer media type ${l.mediaType} in ${label}`);
  }
  const release = deps.leases.acquire([resolved.digest, manifest.config.digest, ...manifest.layers.map((l) => l.digest)]);
  // Ends this pull's downloads when it fails, or when its client goes away.
  const local = new AbortController();
  const onAbort = () => local.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const added: Digest[] = [];
  const downloads: Promise<unknown>[] = [];
  const fetch = async (d: Digest, size: number, onBytes?: (n: number) => void, tap?: Tap): Promise<void> => {
    const stored = await deps.flights.join(d, async (signal, bytes) => {
      if (await deps.content.has(d)) return false;
      await fetchBlob(client, deps.content, d, size, signal, bytes, tap);
      return true;
    }, local.signal, onBytes);
    if (stored) added.push(d);
  };
  try {
    if (!(await deps.content.has(resolved.digest))) {
      await deps.content.ingestBuffer(resolved.bytes, { digest: resolved.digest });
      added.push(resolved.digest);
    }
    await fetch(manifest.config.digest, manifest.config.size);
    const config = decodeJSON(imageConfigSchema, await deps.content.readBuffer(manifest.config.digest), `image config for ${label}`);
    const diffIDs = config.rootfs.diff_ids as Digest[];
    if (diffIDs.length !== manifest.layers.length) throw new InvalidArgumentError(`${label}: the manifest has ${manifest.layers.length} layers but the config ${diffIDs.length} diff_ids`);
    const present = await Promise.all(manifest.layers.map((l) => deps.content.has(l.digest)));
    manifest.layers.forEach((l, i) => progress({ id: short(l.digest), status: present[i] ? 'Already exists' : 'Pulling fs layer' }));
    const limit = limiter(deps.concurrency);
    // The lowest layer to download is unpacked as it arrives (everything below it is here).
    const first = present.indexOf(false);
    let handOn!: (stream: Readable | undefined) => void;
    const arriving = new Promise<Readable | undefined>((resolve) => { handOn = resolve; });
    for (const [i, l] of manifest.layers.entries()) {
      const id = short(l.digest);
      if (present[i]) { downloads.push(Promise.resolve()); continue; }
      if (i - present.slice(0, i).filter(Boolean).length >= deps.concurrency) progress({ id, status: 'Waiting' });
      const p = limit(async () => {
        // Another pull's download of the same blob, or one already stored, hands nothing on.
        const tap = i === first ? handOn : undefined;
        await fetch(l.digest, l.size, (current) => progress({ id, status: 'Downloading', progressDetail: { current, total: l.size } }), tap);
        progress({ id, status: 'Verifying Checksum', progressDetail: {} });
        progress({ id, status: 'Download complete', progressDetail: {} });
      });
      p.catch(() => undefined);
      if (i === first) void p.finally(() => handOn(undefined)).catch(() => undefined);
      downloads.push(p);
    }
    const blobs = manifest.layers.map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size }));
    for (const [i, l] of manifest.layers.entries()) {
      const stream = i === first ? await arriving : undefined;
      // Layers below are committed already, so each call applies just this one.
      if (stream) await unpackArriving(deps.unpack, blobs.slice(0, i + 1), diffIDs.slice(0, i + 1), { stream, stored: downloads[i]! }, local.signal);
      await downloads[i];
      throwIfAborted(local.signal);
      if (present[i]) continue;
      const id = short(l.digest);
      progress({ id, status: 'Extracting', progressDetail: { current: l.size, total: l.size } });
      if (!stream) await deps.unpack(blobs.slice(0, i + 1), diffIDs.slice(0, i + 1));
      progress({ id, status: 'Pull complete', progressDetail: {} });
    }
    const layers = await deps.unpack(blobs, diffIDs);
    const repoDigest = resolved.index?.digest ?? resolved.digest;
    const before = ref.tag !== undefined ? deps.store.find(refString({ ...ref, digest: undefined }))?.id : undefined;
    const row = deps.store.register({
      configDigest: manifest.config.digest, config, manifestDigest: resolved.digest, layers,
      repoTags: ref.tag !== undefined && ref.digest === undefined ? [refString(ref)] : [],
      repoDigests: [`${fullName(ref)}@${repoDigest}`],
    });
    deps.sources.remember(ref.domain, ref.path, [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]);
    progress({ status: `Digest: ${repoDigest}` });
    progress({ status: `Status: ${before === row.id ? 'Image is up to date' : 'Downloaded newer image'} for ${familiarName(ref)}${ref.digest ? `@${ref.digest}` : `:${ref.tag}`}` });
    deps.events.publish('image', 'pull', label, { name: label });
    return row;
  } catch (e) {
    local.abort();
    await Promise.allSettled(downloads);
    release();
    const keep = deps.store.referencedBlobs();
    for (const d of added) if (!keep.has(d) && !deps.leases.held(d)) await deps.content.delete(d);
    throw e;
  } finally {
    release();
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** Unpacks the top layer as it downloads; a pull that ends (failed, or its client gone) stops reading it. */
async function unpackArriving(unpack: Unpack, blobs: LayerBlob[], diffIDs: Digest[], live: LiveLayer, signal: AbortSignal): Promise<void> {
  const stop = (): void => { live.stream.destroy(abortError(signal)); };
  signal.addEventListener('abort', stop, { once: true });
  try {
    await unpack(blobs, diffIDs, live);
  } catch (e) {
    // A blob that does not match its digest usually fails its unpack first (bad gzip data): the
    // download's own error says why. Only a blob that arrived whole is the unpack's fault.
    await live.stored;
    throw e;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/**
 * With the registry out of reach an image already here is reported up to date, so offline
 * engines keep working with what they have; anything else fails naming the cause.
 */
function offline(deps: PullDeps, name: string, e: Error, progress: Progress): ImageRow {
  const ref = parseReference(name);
  const local = deps.store.find(name);
  if (!local) {
    throw new UnavailableError(`pull access denied for ${familiarName(ref)}, repository does not exist or may require 'docker login': registry access is not available: ${e.message}`, { cause: e });
  }
  const digest = deps.store.repoDigests(local.id).find((d) => d.startsWith(`${familiarName(ref)}@`));
  if (digest) progress({ status: `Digest: ${digest.slice(digest.indexOf('@') + 1)}` });
  progress({ status: `Status: Image is up to date for ${familiarString(ref)}` });
  return local;
}

function wantedPlatform(p: Partial<Platform> | undefined): Platform {
  const host = hostPlatform();
  return { os: p?.os || host.os, architecture: p?.architecture || host.architecture, ...(p?.variant ? { variant: p.variant } : {}) };
}
