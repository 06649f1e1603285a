import type { Readable } from 'node:stream';
import type { ContentStore } from '../../content/store.ts';
import { InvalidArgumentError } from '../../errors.ts';
import type { Digest } from '../../util/digest.ts';
import type { Platform } from '../oci-types.ts';
import { readDockerArchive } from './docker-archive.ts';
import { extractArchive } from './extract.ts';
import type { LoadedImage } from './loaded.ts';
import { readOciLayout } from './oci-layout.ts';
import { hostPlatform } from './platform.ts';

export type { LoadedImage, LoadedLayer } from './loaded.ts';

export interface LoadedArchive {
  images: LoadedImage[];
  /**
   * Blobs this archive added to the content store that no loaded image uses (another platform's
   * manifests, nested indexes, stray files). Only blobs that were absent before the load are
   * listed; the caller may delete them unless something else started using them meanwhile.
   */
  unreferenced: Digest[];
}

export interface ReadArchiveOptions {
  /** The platform to pick from multi-platform indexes; the host's by default. */
  platform?: Platform;
}

/**
 * Read a `docker save` archive or an OCI image layout tar (plain or gzip) from `src`, storing
 * every blob in `content` and describing the images it holds. The caller registers them:
 * unpacks layers, checks each diffID against `config.rootfs.diff_ids`, and applies the tags.
 * On failure `src` is left as it is (not destroyed), so a caller can still drain or answer it.
 */
export async function readImageArchive(src: Readable, content: ContentStore, opts: ReadArchiveOptions = {}): Promise<LoadedArchive> {
  const platform = opts.platform ?? hostPlatform();
  const entries = await extractArchive(src, content);
  let images: LoadedImage[];
  if (entries.control.has('manifest.json')) images = await readDockerArchive(entries, content, platform);
  else if (entries.control.has('index.json')) images = await readOciLayout(entries, content, platform);
  else throw new InvalidArgumentError('invalid image archive: it has neither manifest.json nor index.json');

  const used = new Set<Digest>();
  for (const image of images) {
    used.add(image.configDigest);
    if (image.manifestDigest) used.add(image.manifestDigest);
    for (const l of image.layers) used.add(l.digest);
  }
  return { images, unreferenced: [...entries.added].filter((d) => !used.has(d)) };
}
