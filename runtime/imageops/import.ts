import type { Readable } from 'node:stream';
import type { ContentStore } from '../content/store.ts';
import type { EventBus } from '../events/bus.ts';
import type { ImageStore } from '../images/store.ts';
import type { ImageRow } from '../metadata/images.ts';
import { MediaType, type ImageConfig } from '../images/oci-types.ts';
import { familiarString, parseReference } from '../images/reference.ts';
import { goArch } from '../images/seed-busybox.ts';
import { openLayer } from '../diff/decompress.ts';
import { InvalidArgumentError } from '../errors.ts';
import type { Digest } from '../util/digest.ts';
import { applyChanges } from '../images/changes.ts';
import type { LayerUnpacker } from '../diff/unpacker.ts';

export interface ImportOptions {
  /** The reference to tag the image with (`repo:tag`); untagged when absent. */
  reference?: string;
  /** The history comment (Docker: `Imported from -` unless a message is given). */
  message?: string;
  /** Dockerfile instructions for the config (CMD, ENV, …). */
  changes?: readonly string[];
  platform?: { os?: string; architecture?: string; variant?: string };
}

export interface ImportDeps { content: ContentStore; unpacker: LayerUnpacker; store: ImageStore; events: EventBus }

/**
 * `docker import`: a filesystem tar (plain or gzip) becomes a single-layer image. The layer is
 * stored uncompressed, so its blob digest is its diffID; the config carries `changes` and the
 * message. Bad changes are refused before the body is read; a bad archive leaves nothing behind.
 */
export async function importImage(deps: ImportDeps, src: Readable, opts: ImportOptions): Promise<ImageRow> {
  const config = applyChanges({}, opts.changes ?? []);
  const ref = opts.reference ? parseReference(opts.reference) : undefined;
  if (ref?.digest) throw new InvalidArgumentError(`cannot import digest reference: ${opts.reference}`);
  const os = opts.platform?.os || 'linux';
  if (os !== 'linux') throw new InvalidArgumentError(`unsupported os ${os} (platform)`);

  const { stream, gunzip } = await openLayer(src);
  let layer: { digest: Digest; size: number };
  try {
    layer = await deps.content.ingest(gunzip ? stream.pipe(gunzip) : stream);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code?.startsWith('Z_')) throw new InvalidArgumentError(`invalid archive: ${(e as Error).message}`, { cause: e });
    throw e;
  }
  const drop = async (): Promise<void> => {
    if (!deps.store.referencedBlobs().has(layer.digest)) await deps.content.delete(layer.digest);
  };
  if (layer.size === 0) {
    await drop();
    throw new InvalidArgumentError('invalid archive: the filesystem archive is empty');
  }
  let layers;
  try {
    layers = await deps.unpacker.unpack([{ digest: layer.digest, mediaType: MediaType.ociLayer, size: layer.size }], [layer.digest]);
  } catch (e) {
    await drop();
    throw e;
  }

  const created = new Date().toISOString();
  const comment = opts.message ?? '';
  const image: ImageConfig = {
    architecture: opts.platform?.architecture || goArch(),
    os,
    ...(opts.platform?.variant ? { variant: opts.platform.variant } : {}),
    created,
    comment,
    config,
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
    history: [{ created, comment }],
  };
  const cfg = await deps.content.ingestBuffer(Buffer.from(JSON.stringify(image)));
  const repoTags = ref ? [familiarString(ref)] : [];
  const row = deps.store.register({ configDigest: cfg.digest, config: image, layers, repoTags });
  deps.events.publish('image', 'import', row.id, { name: row.id });
  if (ref) deps.events.publish('image', 'tag', row.id, { name: familiarString(ref) });
  return row;
}
