import type { Readable } from 'node:stream';
import { InvalidArgumentError } from '../../errors.ts';
import { hexOf, sha256, type Digest } from '../../util/digest.ts';
import { Annotation, MediaType, decodeJSON, imageConfigSchema, type Descriptor, type Index, type Manifest } from '../oci-types.ts';
import { familiarName, familiarString, parseReference, refString, type Reference } from '../reference.ts';

export interface SaveLayer {
  diffID: Digest;
  /** Uncompressed size in bytes. */
  size: number;
  /** The uncompressed layer tar, byte for byte the one diffID was computed over. */
  open(): Readable;
}

export interface SaveImage {
  configDigest: Digest;
  /** The raw config bytes; their digest must be configDigest. */
  config: Buffer;
  /** Tags to record, e.g. `busybox:latest` (full references are accepted too). */
  repoTags: string[];
  layers: SaveLayer[];
}

export type PlannedBlob = { kind: 'json'; data: Buffer } | { kind: 'layer'; layer: SaveLayer };

/** Everything an archive will hold, decided up front so that it can be written in sorted order. */
export interface SavePlan {
  /** Keyed by digest hex, written as `blobs/sha256/<hex>`. */
  blobs: Map<string, PlannedBlob>;
  files: { name: string; data: Buffer }[];
}

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const blobPath = (d: Digest): string => `blobs/sha256/${hexOf(d)}`;

function parseTag(s: string, image: Digest): Reference {
  const ref = parseReference(s);
  if (ref.tag === undefined) throw new InvalidArgumentError(`cannot save image ${image} as "${s}": a tag is required`);
  return { domain: ref.domain, path: ref.path, tag: ref.tag };
}

function checkImage(img: SaveImage): void {
  const what = `image ${img.configDigest}`;
  if (sha256(img.config) !== img.configDigest) throw new InvalidArgumentError(`${what}: config bytes do not match the config digest`);
  const config = decodeJSON(imageConfigSchema, img.config, `config of ${what}`);
  const diffIDs = config.rootfs.diff_ids;
  if (diffIDs.length !== img.layers.length || diffIDs.some((d, i) => d !== img.layers[i]?.diffID)) {
    throw new InvalidArgumentError(`${what}: layers do not match the config's rootfs.diff_ids`);
  }
}

/**
 * Lay out what Docker 25+'s `docker save` writes: an OCI image layout (blobs, index.json,
 * oci-layout) that also carries manifest.json and repositories, so older dockerd loads it too.
 * Layers are stored uncompressed, so each layer blob's digest is its diffID.
 */
export function planArchive(images: SaveImage[]): SavePlan {
  const merged = new Map<Digest, { image: SaveImage; tags: Reference[] }>();
  for (const img of images) {
    let m = merged.get(img.configDigest);
    if (!m) {
      checkImage(img);
      m = { image: img, tags: [] };
      merged.set(img.configDigest, m);
    }
    for (const t of img.repoTags) {
      const ref = parseTag(t, img.configDigest);
      if (!m.tags.some((r) => refString(r) === refString(ref))) m.tags.push(ref);
    }
  }

  const blobs = new Map<string, PlannedBlob>();
  const indexManifests: Descriptor[] = [];
  const dockerManifest: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  for (const { image, tags } of merged.values()) {
    blobs.set(hexOf(image.configDigest), { kind: 'json', data: image.config });
    for (const layer of image.layers) blobs.set(hexOf(layer.diffID), { kind: 'layer', layer });
    const manifest: Manifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: image.configDigest, size: image.config.length },
      layers: image.layers.map((l) => ({ mediaType: MediaType.ociLayer, digest: l.diffID, size: l.size })),
    };
    const manifestBytes = json(manifest);
    const manifestDigest = sha256(manifestBytes);
    blobs.set(hexOf(manifestDigest), { kind: 'json', data: manifestBytes });

    const desc = { mediaType: MediaType.ociManifest, digest: manifestDigest, size: manifestBytes.length };
    if (tags.length === 0) indexManifests.push(desc);
    for (const ref of tags) {
      indexManifests.push({ ...desc, annotations: { [Annotation.containerdImageName]: refString(ref), [Annotation.refName]: ref.tag! } });
    }
    dockerManifest.push({
      Config: blobPath(image.configDigest),
      RepoTags: tags.map(familiarString),
      Layers: image.layers.map((l) => blobPath(l.diffID)),
    });
    const top = image.layers[image.layers.length - 1];
    for (const ref of top ? tags : []) (repositories[familiarName(ref)] ??= {})[ref.tag!] = hexOf(top!.diffID);
  }

  const index: Index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: indexManifests };
  const files = [
    { name: 'index.json', data: json(index) },
    { name: 'manifest.json', data: json(dockerManifest) },
    { name: 'oci-layout', data: json({ imageLayoutVersion: '1.0.0' }) },
  ];
  if (Object.keys(repositories).length > 0) files.push({ name: 'repositories', data: json(sortedKeys(repositories)) });
  return { blobs, files };
}

function sortedKeys(repos: Record<string, Record<string, string>>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const name of Object.keys(repos).sort()) {
    const tags = repos[name]!;
    out[name] = Object.fromEntries(Object.keys(tags).sort().map((t) => [t, tags[t]!]));
  }
  return out;
}
