import type { ContentStore } from '../content/store.ts';
import type { ImageStore } from '../images/store.ts';
import type { LayerUnpacker } from '../diff/unpacker.ts';
import { chainIDs, type Digest } from '../util/digest.ts';

/**
 * Lets a failed `docker load` take back what it added: blobs that were not in the store when
 * it began and that no image references, and unpacked layers no image stands on. The archive
 * is read through `content`, a view of the store that records every blob it ingests.
 */
export class LoadGuard {
  private readonly ingested = new Set<Digest>();
  readonly content: ContentStore;

  private constructor(private readonly store: ContentStore, private readonly before: Set<Digest>) {
    const record = <T extends { digest: Digest }>(p: Promise<T>): Promise<T> => p.then((r) => { this.ingested.add(r.digest); return r; });
    this.content = new Proxy(store, {
      get: (target, prop) => {
        if (prop === 'ingest') return (...a: Parameters<ContentStore['ingest']>) => record(target.ingest(...a));
        if (prop === 'ingestBuffer') return (...a: Parameters<ContentStore['ingestBuffer']>) => record(target.ingestBuffer(...a));
        const v: unknown = Reflect.get(target, prop);
        return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
      },
    });
  }

  static async start(store: ContentStore): Promise<LoadGuard> {
    return new LoadGuard(store, new Set(await store.list()));
  }

  async rollback(images: ImageStore, unpacker: LayerUnpacker, layers: readonly (readonly Digest[])[]): Promise<void> {
    const keep = images.referencedBlobs();
    for (const d of this.ingested) if (!this.before.has(d) && !keep.has(d)) await this.store.delete(d);
    const used = new Set<string>();
    for (const row of images.all()) for (const c of chainIDs(row.layers.map((l) => l.diffID as Digest))) used.add(c);
    for (const diffIDs of layers) await unpacker.prune(diffIDs, used);
  }
}
