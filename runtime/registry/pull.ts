import type { ContentStore } from '../content/store.ts';
import type { EventBus } from '../events/bus.ts';
import type { ImageStore } from '../images/store.ts';
import type { ImageRow } from '../metadata/images.ts';
import { decodeJSON, imageConfigSchema, layerCompression } from '../images/oci-types.ts';
import { hostPlatform } from '../images/archive/platform.ts';
import { familiarName, familiarString, fullName, parseReference, refString } from '../images/reference.ts';
import { InvalidArgumentError, UnavailableError } from '../errors.ts';
import { hexOf, type Digest } from '../util/digest.ts';
import { RegistryClient, RegistryUnreachableError } from '../registry/client.ts';
import { resolveManifest } from '../registry/manifest.ts';
import { fetchBlob } from '../registry/blobs.ts';
import type { Credentials } from '../registry/auth.ts';
import type { HttpClient } from '../registry/http.ts';
import type { LayerUnpacker } from './layers.ts';

/** One Docker progress message: `{id, status, progressDetail}`. */
export interface ProgressMessage { id?: string; status: string; progressDetail?: { current?: number; total?: number } }
export type Progress = (m: ProgressMessage) => void;

export interface PullDeps { store: ImageStore; content: ContentStore; unpacker: LayerUnpacker; events: EventBus; http: HttpClient }

const short = (d: Digest): string => hexOf(d).slice(0, 12);

/**
 * `docker pull`: manifest → config and layer blobs (verified) → unpacked layers → image record
 * with its tag and repo digest. Blobs fetched by a pull that fails are taken back.
 */
export async function pullImage(deps: PullDeps, name: string, creds: Credentials | undefined, progress: Progress): Promise<ImageRow> {
  const ref = parseReference(name);
  const label = familiarString(ref);
  const client = new RegistryClient(deps.http, ref.domain, ref.path, creds, 'pull');
  progress({ id: ref.digest ?? ref.tag ?? 'latest', status: `Pulling from ${ref.path}` });
  let resolved;
  try {
    resolved = await resolveManifest(client, ref.digest ?? ref.tag ?? 'latest', hostPlatform(), label);
  } catch (e) {
    if (!(e instanceof RegistryUnreachableError)) throw e;
    return offline(deps, name, e, progress);
  }
  const { manifest } = resolved;
  for (const l of manifest.layers) {
    if (layerCompression(l.mediaType) === undefined) throw new InvalidArgumentError(`unsupported layer media type ${l.mediaType} in ${label}`);
  }
  const added: Digest[] = [];
  const fetch = async (d: Digest, size: number, onBytes?: (n: number) => void): Promise<void> => {
    if (await deps.content.has(d)) return;
    await fetchBlob(client, deps.content, d, size, onBytes);
    added.push(d);
  };
  try {
    await deps.content.ingestBuffer(resolved.bytes, { digest: resolved.digest });
    added.push(resolved.digest);
    await fetch(manifest.config.digest, manifest.config.size);
    const config = decodeJSON(imageConfigSchema, await deps.content.readBuffer(manifest.config.digest), `image config for ${label}`);
    const diffIDs = config.rootfs.diff_ids as Digest[];
    const present = await Promise.all(manifest.layers.map((l) => deps.content.has(l.digest)));
    manifest.layers.forEach((l, i) => progress({ id: short(l.digest), status: present[i] ? 'Already exists' : 'Pulling fs layer' }));
    for (const [i, l] of manifest.layers.entries()) {
      if (present[i]) continue;
      const id = short(l.digest);
      await fetch(l.digest, l.size, (current) => progress({ id, status: 'Downloading', progressDetail: { current, total: l.size } }));
      progress({ id, status: 'Verifying Checksum', progressDetail: {} });
      progress({ id, status: 'Download complete', progressDetail: {} });
    }
    const blobs = manifest.layers.map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size }));
    for (const [i, l] of manifest.layers.entries()) {
      if (present[i]) continue;
      const id = short(l.digest);
      progress({ id, status: 'Extracting', progressDetail: { current: l.size, total: l.size } });
      // Layers below are committed already, so each call applies just this one.
      await deps.unpacker.unpack(blobs.slice(0, i + 1), diffIDs.slice(0, i + 1));
      progress({ id, status: 'Pull complete', progressDetail: {} });
    }
    const layers = await deps.unpacker.unpack(blobs, diffIDs);
    const before = ref.tag !== undefined ? deps.store.find(refString({ ...ref, digest: undefined }))?.id : undefined;
    const row = deps.store.register({
      configDigest: manifest.config.digest, config, manifestDigest: resolved.digest, layers,
      repoTags: ref.tag !== undefined && ref.digest === undefined ? [refString(ref)] : [],
      repoDigests: [`${fullName(ref)}@${resolved.digest}`],
    });
    progress({ status: `Digest: ${resolved.digest}` });
    progress({ status: `Status: ${before === row.id ? 'Image is up to date' : 'Downloaded newer image'} for ${familiarName(ref)}${ref.digest ? `@${ref.digest}` : `:${ref.tag}`}` });
    deps.events.publish('image', 'pull', label, { name: label });
    return row;
  } catch (e) {
    const keep = deps.store.referencedBlobs();
    for (const d of added) if (!keep.has(d)) await deps.content.delete(d);
    throw e;
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
