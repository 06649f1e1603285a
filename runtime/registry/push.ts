import type { ContentStore } from '../content/store.ts';
import type { EventBus } from '../events/bus.ts';
import type { ImageStore } from '../images/store.ts';
import type { ImageRow } from '../metadata/images.ts';
import { MediaType } from '../images/oci-types.ts';
import { familiarName, fullName, parseReference, refString, type Reference } from '../images/reference.ts';
import { InvalidArgumentError, NotFoundError } from '../errors.ts';
import { sha256, type Digest } from '../util/digest.ts';
import { limiter } from '../util/limit.ts';
import { RegistryClient } from './client.ts';
import { hasBlob } from './blobs.ts';
import { uploadBlob } from './upload.ts';
import { manifestMediaType } from './manifest.ts';
import type { Credentials } from './auth.ts';
import type { HttpClient } from './http.ts';
import type { BlobSources } from './sources.ts';
import { shortDigest as short, type Progress } from './progress.ts';

export interface PushDeps {
  store: ImageStore; content: ContentStore; events: EventBus; http: HttpClient; sources: BlobSources;
  concurrency: number; chunkThreshold: number; chunkSize: number;
}
export interface PushOptions { creds?: Credentials; signal?: AbortSignal }
export interface PushResult { tag: string; digest: Digest; size: number }

interface Blob { digest: Digest; size: number; mediaType: string }

// Docker's layer types have OCI twins; an OCI manifest must name the OCI ones.
const OCI_LAYER: Record<string, string> = {
  [MediaType.dockerLayer]: MediaType.ociLayer,
  [MediaType.dockerLayerGzip]: MediaType.ociLayerGzip,
  [MediaType.dockerForeignLayerGzip]: MediaType.ociLayerGzip,
};

/** The local tags `docker push repo` (no tag) sends: every tag of that repository. */
export function tagsToPush(store: ImageStore, name: string, tag: string): string[] {
  const ref = parseReference(name);
  if (tag) return [tag];
  if (ref.digest) return [ref.digest];
  if (/:[^/]*$/.test(name) && ref.tag) return [ref.tag];
  const repo = familiarName(ref);
  const tags = store.all().flatMap((r) => store.repoTags(r.id)).filter((t) => t.startsWith(`${repo}:`)).map((t) => t.slice(repo.length + 1));
  if (tags.length === 0) throw new NotFoundError(`An image does not exist locally with the tag: ${repo}`);
  return tags;
}

/**
 * `docker push` of one tag or digest: the blobs the registry lacks (mounted from another
 * repository of the same registry when one is known to have them), then the manifest. An
 * image pulled from a registry is pushed with the very manifest it came with, so its digest
 * stays the same; other images get a fresh OCI manifest.
 */
export async function pushImage(deps: PushDeps, name: string, tagOrDigest: string, opts: PushOptions, progress: Progress): Promise<PushResult> {
  const byDigest = tagOrDigest.startsWith('sha256:');
  const ref: Reference = { ...parseReference(name), tag: byDigest ? undefined : tagOrDigest, digest: byDigest ? tagOrDigest as Digest : undefined };
  const row = deps.store.find(byDigest ? `${fullName(ref)}@${tagOrDigest}` : refString(ref));
  if (!row) throw new NotFoundError(`An image does not exist locally with the tag: ${familiarName(ref)}`);
  const manifest = await manifestFor(deps, row);
  if (byDigest && manifest.digest !== tagOrDigest) throw new InvalidArgumentError(`cannot push ${tagOrDigest}: the local manifest of ${familiarName(ref)} has digest ${manifest.digest}`);
  const mounts = [...new Set(manifest.blobs.map((b) => deps.sources.find(ref.domain, b.digest, ref.path)).filter((r): r is string => !!r))];
  const client = new RegistryClient(deps.http, ref.domain, ref.path, opts.creds, 'pull,push', mounts.map((r) => `repository:${r}:pull`));
  const layers = manifest.blobs.slice(1);
  for (const l of layers) progress({ id: short(l.digest), status: 'Preparing' });
  const limit = limiter(deps.concurrency);
  await Promise.all(layers.map((l) => limit(() => pushBlob(deps, client, l, opts.signal, progress))));
  await pushBlob(deps, client, manifest.blobs[0]!, opts.signal, undefined);
  const res = await client.request('PUT', `manifests/${tagOrDigest}`, { headers: { 'content-type': manifest.mediaType }, body: manifest.bytes, signal: opts.signal });
  await res.body?.cancel();
  deps.sources.remember(ref.domain, ref.path, manifest.blobs.map((b) => b.digest));
  const label = byDigest ? `${familiarName(ref)}@${tagOrDigest}` : `${familiarName(ref)}:${tagOrDigest}`;
  progress({ status: `${byDigest ? 'digest' : tagOrDigest}: digest: ${manifest.digest} size: ${manifest.bytes.length}` });
  deps.events.publish('image', 'push', label, { name: label });
  return { tag: byDigest ? '' : tagOrDigest, digest: manifest.digest, size: manifest.bytes.length };
}

async function pushBlob(deps: PushDeps, client: RegistryClient, b: Blob, signal: AbortSignal | undefined, progress: Progress | undefined): Promise<void> {
  const id = short(b.digest);
  if (await hasBlob(client, b.digest, signal)) {
    progress?.({ id, status: 'Layer already exists' });
    return;
  }
  const from = deps.sources.find(client.domain, b.digest, client.repository);
  progress?.({ id, status: 'Pushing', progressDetail: { current: 0, total: b.size } });
  const how = await uploadBlob(client, b.digest, b.size, (start, end) => deps.content.readStream(b.digest, start, end), from, {
    chunkThreshold: deps.chunkThreshold, chunkSize: deps.chunkSize, signal,
    onBytes: (current) => progress?.({ id, status: 'Pushing', progressDetail: { current, total: b.size } }),
  });
  progress?.({ id, status: how === 'mounted' ? `Mounted from ${from}` : 'Pushed' });
}

/** The manifest to push (config first in `blobs`, then the layers). */
async function manifestFor(deps: PushDeps, row: ImageRow): Promise<{ bytes: Buffer; digest: Digest; mediaType: string; blobs: Blob[] }> {
  const stored = row.manifestDigest && await deps.content.has(row.manifestDigest as Digest) ? await deps.content.readBuffer(row.manifestDigest as Digest) : undefined;
  if (stored) {
    const doc = JSON.parse(stored.toString('utf8')) as { config?: Blob; layers?: Blob[] };
    const same = doc.config?.digest === row.id && doc.layers?.length === row.layers.length && doc.layers.every((l, i) => l.digest === row.layers[i]!.digest);
    if (same) {
      return { bytes: stored, digest: row.manifestDigest as Digest, mediaType: manifestMediaType(stored, null, row.id), blobs: [doc.config!, ...doc.layers!] };
    }
  }
  const configDigest = row.id as Digest;
  const config: Blob = { mediaType: MediaType.ociConfig, digest: configDigest, size: await deps.content.size(configDigest) };
  const layers = await Promise.all(row.layers.map(async (l) => ({
    mediaType: OCI_LAYER[l.mediaType] ?? l.mediaType,
    digest: l.digest as Digest,
    size: await deps.content.size(l.digest as Digest),
  })));
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers }));
  return { bytes, digest: sha256(bytes), mediaType: MediaType.ociManifest, blobs: [config, ...layers] };
}
