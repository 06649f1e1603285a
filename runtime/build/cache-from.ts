import type { ContainerConfig, History, ImageConfig } from '../images/oci-types.ts';
import type { ImageStore } from '../images/store.ts';
import type { LayerRecord } from '../metadata/images.ts';

/** Build a step's image from a cache source: the parent, plus that source's history entry and layer. */
export type Restore = (parentId: string | null, config: ContainerConfig, history: History, layer: LayerRecord | null) => Promise<string>;

interface Source { id: string; config: ImageConfig; layers: LayerRecord[] }

const same = (a: History, b: History): boolean =>
  a.created === b.created && a.created_by === b.created_by && !!a.empty_layer === !!b.empty_layer && a.comment === b.comment && a.author === b.author;

/**
 * `--cache-from`: images (pulled or loaded, so with no local build cache) whose history a build
 * may follow, as dockerd's image cache does. A step matches when the source's history starts with
 * exactly the parent's (entries and layers) and its next entry was made by the same instruction;
 * COPY/ADD entries name their content hash, so changed files never match.
 */
export class CacheFrom {
  private constructor(private sources: Source[], private readonly store: ImageStore, private readonly restore: Restore) {}

  static async load(store: ImageStore, refs: readonly string[], restore: Restore): Promise<CacheFrom> {
    const sources: Source[] = [];
    for (const ref of refs) {
      const row = store.find(ref);
      // As dockerd: a source that is not here is skipped, not an error.
      if (row) sources.push({ id: row.id, config: await store.config(row.id), layers: row.layers });
    }
    return new CacheFrom(sources, store, restore);
  }

  async match(parentId: string | null, createdBy: string, config: ContainerConfig): Promise<string | undefined> {
    const parent = parentId ? await this.store.config(parentId) : undefined;
    const ph = parent?.history ?? [];
    const pd = parent?.rootfs.diff_ids ?? [];
    for (const s of this.sources) {
      const sh = s.config.history ?? [];
      const sd = s.config.rootfs.diff_ids;
      if (sh.length <= ph.length || sd.length < pd.length) continue;
      if (!ph.every((h, i) => same(h, sh[i]!)) || !pd.every((d, i) => d === sd[i])) continue;
      const next = sh[ph.length]!;
      if (next.created_by !== createdBy) continue;
      if (sh.length === ph.length + 1) return s.id;
      const layer = next.empty_layer ? null : s.layers[pd.length];
      if (layer === undefined) continue;
      // Follow this source from now on, as dockerd does, rather than jump between sources.
      this.sources = [s];
      return this.restore(parentId, config, next, layer);
    }
    return undefined;
  }
}
