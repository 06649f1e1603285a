import type { Readable } from 'node:stream';
import type { ContentStore } from '../content/store.ts';
import type { ImageStore } from '../images/store.ts';
import { MediaType, type ContainerConfig, type History, type ImageConfig } from '../images/oci-types.ts';
import type { LayerRecord } from '../metadata/images.ts';
import type { Digest } from '../util/digest.ts';
import type { LayerUnpacker } from '../diff/unpacker.ts';

/** The diffID of an archive with no entries: a step that changed nothing adds no layer. */
const EMPTY_LAYER = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

/** Empty fields left out, as Docker writes image configs. */
function clean(c: ContainerConfig): ContainerConfig {
  const out: Record<string, unknown> = { ...c };
  for (const [k, v] of Object.entries(out)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length && k !== 'Entrypoint') || (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length)) delete out[k];
  }
  return out as ContainerConfig;
}

/** Registers build steps' images: a parent image (or scratch), plus at most one layer, plus a config. */
export class BuildImages {
  constructor(private readonly store: ImageStore, private readonly content: ContentStore, private readonly unpacker: LayerUnpacker) {}

  async config(id: string | null): Promise<ContainerConfig> {
    return id ? (await this.store.config(id)).config ?? {} : {};
  }

  /** Store a layer tar; `null` when it has no entries. */
  async ingestLayer(tar: Readable): Promise<{ digest: Digest; size: number } | null> {
    const layer = await this.content.ingest(tar);
    if (layer.digest !== EMPTY_LAYER) return layer;
    if (!this.store.referencedBlobs().has(layer.digest)) await this.content.delete(layer.digest);
    return null;
  }

  /** Drop a layer blob a cache hit made unnecessary. */
  async discard(digest: Digest): Promise<void> {
    if (!this.store.referencedBlobs().has(digest)) await this.content.delete(digest);
  }

  /** `reuse`: the history entry and layer of a `--cache-from` image, taken as they are. */
  async commit(parentId: string | null, config: ContainerConfig, createdBy: string, layer: { digest: Digest; size: number } | null, reuse?: { history: History; layer: LayerRecord | null }): Promise<string> {
    const parentRow = parentId ? this.store.get(parentId) : undefined;
    const parent = parentId ? await this.store.config(parentId) : undefined;
    const reused = reuse?.layer ? { digest: reuse.layer.digest as Digest, mediaType: reuse.layer.mediaType, size: reuse.layer.size, diffID: reuse.layer.diffID as Digest } : undefined;
    const added = reused ?? (layer && !reuse ? { digest: layer.digest, mediaType: MediaType.ociLayer, size: layer.size, diffID: layer.digest } : undefined);
    const diffIDs = [...(parent?.rootfs.diff_ids ?? []) as Digest[], ...(added ? [added.diffID] : [])];
    const below = parentRow?.layers ?? [];
    const layers = added
      ? await this.unpacker.unpack([...below.map((l) => ({ digest: l.digest as Digest, mediaType: l.mediaType, size: l.size })), { digest: added.digest, mediaType: added.mediaType, size: added.size }], diffIDs)
      : below;
    const created = new Date().toISOString();
    const image: ImageConfig = {
      architecture: parent?.architecture ?? ARCH[process.arch] ?? process.arch,
      ...(parent?.variant ? { variant: parent.variant } : {}),
      os: parent?.os ?? 'linux',
      created,
      config: clean(config),
      rootfs: { type: 'layers', diff_ids: diffIDs },
      history: [...(parent?.history ?? []), reuse?.history ?? { created, created_by: createdBy, ...(layer ? {} : { empty_layer: true }) }],
      // As dockerd records it: a build step's image is a child of the previous step's, which
      // `docker images` then hides as an intermediate image unless `-a`.
      ...(parentId ? { parent: parentId } : {}),
    };
    const { digest } = await this.content.ingestBuffer(Buffer.from(JSON.stringify(image)));
    this.store.register({ configDigest: digest, config: image, layers, repoTags: [] });
    return digest;
  }
}
