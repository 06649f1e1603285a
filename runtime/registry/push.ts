import type { ContentStore } from '../content/store.ts';
import type { EventBus } from '../events/bus.ts';
import type { ImageStore } from '../images/store.ts';
import { MediaType } from '../images/oci-types.ts';
import { familiarName, parseReference, refString } from '../images/reference.ts';
import { NotFoundError } from '../errors.ts';
import { hexOf, sha256, type Digest } from '../util/digest.ts';
import { RegistryClient } from '../registry/client.ts';
import { hasBlob, uploadBlob } from '../registry/blobs.ts';
import type { Credentials } from '../registry/auth.ts';
import type { HttpClient } from '../registry/http.ts';
import type { Progress } from './pull.ts';

export interface PushDeps { store: ImageStore; content: ContentStore; events: EventBus; http: HttpClient }
export interface PushResult { tag: string; digest: Digest; size: number }

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
  if (/:[^/]*$/.test(name) && ref.tag) return [ref.tag];
  const repo = familiarName(ref);
  const tags = store.all().flatMap((r) => store.repoTags(r.id)).filter((t) => t.startsWith(`${repo}:`)).map((t) => t.slice(repo.length + 1));
  if (tags.length === 0) throw new NotFoundError(`An image does not exist locally with the tag: ${repo}`);
  return tags;
}

/**
 * `docker push` of one tag: layers the registry lacks, then the config, then an OCI manifest
 * under the tag. Layers stored uncompressed go as they are, with the plain tar media type.
 */
export async function pushImage(deps: PushDeps, name: string, tag: string, creds: Credentials | undefined, progress: Progress): Promise<PushResult> {
  const ref = { ...parseReference(name), tag, digest: undefined };
  const row = deps.store.find(refString(ref));
  if (!row) throw new NotFoundError(`An image does not exist locally with the tag: ${familiarName(ref)}`);
  const client = new RegistryClient(deps.http, ref.domain, ref.path, creds, 'pull,push');
  const layers = await Promise.all(row.layers.map(async (l) => ({
    digest: l.digest as Digest,
    size: await deps.content.size(l.digest as Digest),
    mediaType: OCI_LAYER[l.mediaType] ?? l.mediaType,
  })));
  for (const l of layers) progress({ id: hexOf(l.digest).slice(0, 12), status: 'Preparing' });
  for (const l of layers) {
    const id = hexOf(l.digest).slice(0, 12);
    if (await hasBlob(client, l.digest)) {
      progress({ id, status: 'Layer already exists' });
      continue;
    }
    progress({ id, status: 'Pushing', progressDetail: { current: 0, total: l.size } });
    await uploadBlob(client, l.digest, l.size, deps.content.readStream(l.digest), (current) => progress({ id, status: 'Pushing', progressDetail: { current, total: l.size } }));
    progress({ id, status: 'Pushed' });
  }
  const configDigest = row.id as Digest;
  const configSize = await deps.content.size(configDigest);
  if (!(await hasBlob(client, configDigest))) await uploadBlob(client, configDigest, configSize, deps.content.readStream(configDigest));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: configDigest, size: configSize },
    layers,
  }));
  const digest = sha256(manifest);
  const res = await client.request('PUT', `manifests/${tag}`, { headers: { 'content-type': MediaType.ociManifest }, body: manifest });
  await res.body?.cancel();
  progress({ status: `${tag}: digest: ${digest} size: ${manifest.length}` });
  deps.events.publish('image', 'push', `${familiarName(ref)}:${tag}`, { name: `${familiarName(ref)}:${tag}` });
  return { tag, digest, size: manifest.length };
}
