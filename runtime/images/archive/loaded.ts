import type { ContentStore } from '../../content/store.ts';
import type { Digest } from '../../util/digest.ts';
import { WharfError } from '../../errors.ts';
import { MediaType, decodeJSON, imageConfigSchema, layerCompression, type ImageConfig } from '../oci-types.ts';
import { parseReference, refString } from '../reference.ts';
import { detectFileCompression } from './compression.ts';
import { MAX_JSON_BYTES, entryError, type ArchiveFile } from './entries.ts';

export interface LoadedLayer {
  /** The layer blob in the content store (compressed or not, as the archive had it). */
  digest: Digest;
  size: number;
  /** OCI/Docker layer media type; its compression always matches the blob's magic bytes. */
  mediaType: string;
}

export interface LoadedImage {
  /** The image id: the digest of the config blob. */
  configDigest: Digest;
  config: ImageConfig;
  manifestDigest?: Digest;
  layers: LoadedLayer[];
  /** Normalised full references with a tag, e.g. `docker.io/library/busybox:latest`. */
  repoTags: string[];
}

/** Read a small JSON blob of the archive from the content store, refusing oversized ones. */
export async function readArchiveJSON(content: ContentStore, file: ArchiveFile, name: string): Promise<Buffer> {
  if (file.size > MAX_JSON_BYTES) throw entryError(name, `too large (${file.size} bytes, at most ${MAX_JSON_BYTES})`);
  return content.readBuffer(file.digest);
}

export async function readConfig(content: ContentStore, file: ArchiveFile, name: string): Promise<ImageConfig> {
  return decodeJSON(imageConfigSchema, await readArchiveJSON(content, file, name), `image archive entry "${name}"`);
}

/**
 * The media type to unpack a layer blob with. The bytes decide the compression: a declared
 * type is kept only when it agrees with them, so a mislabelled layer still unpacks.
 */
export async function layerMediaType(content: ContentStore, file: ArchiveFile, name: string, declared?: string): Promise<string> {
  const detected = await detectFileCompression(content.path(file.digest));
  if (declared !== undefined && layerCompression(declared) === detected) return declared;
  switch (detected) {
    case 'gzip': return MediaType.ociLayerGzip;
    case 'zstd': return MediaType.ociLayerZstd;
    case 'none': return MediaType.ociLayer;
    default: throw entryError(name, `layer is ${detected}-compressed, which images cannot use`);
  }
}

/** Normalise a tag from an archive (`busybox:latest`) to a full reference; `referrer` names the entry in errors. */
export function normaliseRepoTag(s: string, referrer: string): string | undefined {
  let ref;
  try {
    ref = parseReference(s);
  } catch (e) {
    throw entryError(referrer, `invalid repository tag "${s}": ${e instanceof WharfError ? e.message : String(e)}`, e);
  }
  // A digest-only reference names content, not a tag.
  if (ref.tag === undefined) return undefined;
  return refString({ domain: ref.domain, path: ref.path, tag: ref.tag });
}

export function checkLayerCount(config: ImageConfig, layers: number, referrer: string): void {
  const n = config.rootfs.diff_ids.length;
  if (layers !== n) throw entryError(referrer, `the image has ${layers} layers but its config lists ${n} diff_ids`);
}

export function addTags(image: LoadedImage, tags: Iterable<string>): void {
  for (const t of tags) if (!image.repoTags.includes(t)) image.repoTags.push(t);
}
