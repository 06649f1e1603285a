import { z } from 'zod';
import type { ContentStore } from '../../content/store.ts';
import {
  Annotation, decodeJSON, indexSchema, isConfigMediaType, isIndexMediaType, isManifestMediaType, manifestSchema,
  type Descriptor, type Platform,
} from '../oci-types.ts';
import { entryError, type ArchiveEntries, type ArchiveFile } from './entries.ts';
import { addTags, checkLayerCount, layerMediaType, normaliseRepoTag, readArchiveJSON, readConfig, type LoadedImage } from './loaded.ts';
import { isUnknownPlatform, platformMatches } from './platform.ts';

const layoutSchema = z.object({ imageLayoutVersion: z.string() });
const MAX_INDEX_DEPTH = 4;

const blobName = (d: Descriptor): string => `blobs/sha256/${d.digest.slice(7)}`;

/**
 * Interpret an OCI image layout: index.json → manifest, or → nested index → the manifest for
 * this platform (else the first runnable one). Images are named by the top-level annotations.
 */
export async function readOciLayout(entries: ArchiveEntries, content: ContentStore, platform: Platform): Promise<LoadedImage[]> {
  const layout = entries.control.get('oci-layout');
  if (layout) {
    const { imageLayoutVersion } = decodeJSON(layoutSchema, layout, 'image archive entry "oci-layout"');
    if (!/^1\./.test(imageLayoutVersion)) throw entryError('oci-layout', `unsupported imageLayoutVersion "${imageLayoutVersion}"`);
  }
  const index = decodeJSON(indexSchema, entries.control.get('index.json')!, 'image archive entry "index.json"');
  const byManifest = new Map<string, LoadedImage>();
  for (const desc of index.manifests) {
    const tags = namesOf(desc);
    const manifestDesc = await resolveManifest(entries, content, desc, 'index.json', platform, 0);
    let image = byManifest.get(manifestDesc.digest);
    if (!image) {
      image = await imageFromManifest(entries, content, manifestDesc, desc === manifestDesc ? 'index.json' : blobName(desc));
      byManifest.set(manifestDesc.digest, image);
    }
    addTags(image, tags);
  }
  return [...byManifest.values()];
}

/** Names from `io.containerd.image.name`, else from a ref.name that is a full reference (a bare tag names no repository). */
function namesOf(desc: Descriptor): string[] {
  const a = desc.annotations ?? {};
  const full = a[Annotation.containerdImageName];
  const refName = a[Annotation.refName];
  const name = full ?? (refName !== undefined && /[/:@]/.test(refName) ? refName : undefined);
  const tag = name === undefined ? undefined : normaliseRepoTag(name, 'index.json');
  return tag ? [tag] : [];
}

function checkedBlob(entries: ArchiveEntries, desc: Descriptor, referrer: string): ArchiveFile {
  const file = entries.blob(desc.digest, referrer);
  if (file.size !== desc.size) {
    throw entryError(referrer, `descriptor of ${desc.digest} says ${desc.size} bytes but the blob has ${file.size}`);
  }
  return file;
}

async function resolveManifest(
  entries: ArchiveEntries, content: ContentStore, desc: Descriptor, referrer: string, platform: Platform, depth: number,
): Promise<Descriptor> {
  if (isManifestMediaType(desc.mediaType)) return desc;
  if (!isIndexMediaType(desc.mediaType)) throw entryError(referrer, `unsupported media type "${desc.mediaType}" for ${desc.digest}`);
  const name = blobName(desc);
  if (depth >= MAX_INDEX_DEPTH) throw entryError(name, 'image indexes are nested too deeply');
  const raw = await readArchiveJSON(content, checkedBlob(entries, desc, referrer), name);
  const index = decodeJSON(indexSchema, raw, `image archive entry "${name}"`);
  const candidates = index.manifests.filter(
    (d) => (isManifestMediaType(d.mediaType) || isIndexMediaType(d.mediaType)) && !isUnknownPlatform(d.platform ?? undefined),
  );
  const chosen = candidates.find((d) => platformMatches(d.platform ?? undefined, platform)) ?? candidates[0];
  if (!chosen) throw entryError(name, 'the index lists no image manifest');
  return resolveManifest(entries, content, chosen, name, platform, depth + 1);
}

async function imageFromManifest(entries: ArchiveEntries, content: ContentStore, desc: Descriptor, referrer: string): Promise<LoadedImage> {
  const name = blobName(desc);
  const raw = await readArchiveJSON(content, checkedBlob(entries, desc, referrer), name);
  const manifest = decodeJSON(manifestSchema, raw, `image archive entry "${name}"`);
  if (!isConfigMediaType(manifest.config.mediaType)) {
    throw entryError(name, `config media type "${manifest.config.mediaType}" is not an image config`);
  }
  const configFile = checkedBlob(entries, manifest.config, name);
  const config = await readConfig(content, configFile, blobName(manifest.config));
  checkLayerCount(config, manifest.layers.length, name);
  const layers = [];
  for (const ld of manifest.layers) {
    const file = checkedBlob(entries, ld, name);
    layers.push({ digest: file.digest, size: file.size, mediaType: await layerMediaType(content, file, blobName(ld), ld.mediaType) });
  }
  return { configDigest: configFile.digest, config, manifestDigest: desc.digest, layers, repoTags: [] };
}
