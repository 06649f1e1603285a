import { z } from 'zod';
import type { ContentStore } from '../../content/store.ts';
import { decodeJSON, descriptorSchema, type Platform } from '../oci-types.ts';
import type { ArchiveEntries } from './entries.ts';
import { addTags, checkLayerCount, layerMediaType, normaliseRepoTag, readConfig, type LoadedImage } from './loaded.ts';
import { readOciLayout } from './oci-layout.ts';

/** One entry of a `docker save` manifest.json. Paths are relative to the archive root. */
export const dockerArchiveManifestSchema = z.array(z.object({
  Config: z.string().min(1),
  RepoTags: z.array(z.string()).nullish(),
  Layers: z.array(z.string()),
  Parent: z.string().nullish(),
  LayerSources: z.record(descriptorSchema).nullish(),
}));
export type DockerArchiveManifest = z.infer<typeof dockerArchiveManifestSchema>;

/**
 * Interpret manifest.json, the format every `docker save` writes: the legacy layout
 * (`<id>.json`, `<id>/layer.tar`) and Docker 25+'s, whose paths point into `blobs/sha256/`.
 */
export async function readDockerArchive(entries: ArchiveEntries, content: ContentStore, platform: Platform): Promise<LoadedImage[]> {
  const manifest = decodeJSON(dockerArchiveManifestSchema, entries.control.get('manifest.json')!, 'image archive entry "manifest.json"');
  const hints = await ociHints(entries, content, platform);
  const byConfig = new Map<string, LoadedImage>();
  for (const m of manifest) {
    const configFile = entries.lookup(m.Config, 'manifest.json');
    const tags = (m.RepoTags ?? []).map((t) => normaliseRepoTag(t, 'manifest.json')).filter((t) => t !== undefined);
    const known = byConfig.get(configFile.digest);
    if (known) {
      addTags(known, tags);
      continue;
    }
    const config = await readConfig(content, configFile, m.Config);
    checkLayerCount(config, m.Layers.length, 'manifest.json');
    const hint = hints.get(configFile.digest);
    const layers = [];
    for (const [i, path] of m.Layers.entries()) {
      const file = entries.lookup(path, 'manifest.json');
      const declared = hint?.layers[i]?.digest === file.digest ? hint.layers[i]?.mediaType : undefined;
      layers.push({ digest: file.digest, size: file.size, mediaType: await layerMediaType(content, file, path, declared) });
    }
    const image: LoadedImage = { configDigest: configFile.digest, config, layers, repoTags: [] };
    if (hint?.manifestDigest) image.manifestDigest = hint.manifestDigest;
    addTags(image, tags);
    byConfig.set(configFile.digest, image);
  }
  return [...byConfig.values()];
}

/**
 * Docker 25+ also writes an OCI index beside manifest.json; when it is readable it gives each
 * image its manifest digest and the layers' declared media types. Docker's own loader reads
 * only manifest.json, so a broken index is no reason to refuse the archive.
 */
async function ociHints(entries: ArchiveEntries, content: ContentStore, platform: Platform): Promise<Map<string, LoadedImage>> {
  const hints = new Map<string, LoadedImage>();
  if (!entries.control.has('index.json')) return hints;
  try {
    for (const image of await readOciLayout(entries, content, platform)) hints.set(image.configDigest, image);
  } catch {
    hints.clear();
  }
  return hints;
}
