import type { EventBus } from '../events/bus.ts';
import type { ImageStore } from '../images/store.ts';
import type { ImageConfig } from '../images/oci-types.ts';
import type { ImageRow } from '../metadata/images.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { chainIDs, type Digest } from '../util/digest.ts';

export interface ImagePruneOptions {
  /** Docker's default: only images without tags. `false` (`prune -a`): every unused image. */
  danglingOnly: boolean;
  /** Narrows the candidates (until, label filters); gets the image's config. */
  filter?: (row: ImageRow, config: ImageConfig) => boolean;
}

export type DeleteItem = { Untagged?: string; Deleted?: string };
export interface ImagePruneReport { ImagesDeleted: DeleteItem[]; SpaceReclaimed: number }

export interface PruneDeps {
  store: ImageStore;
  events: EventBus;
  usedBy: (imageId: string) => string[];
  remove: (nameOrId: string, opts: { force?: boolean }) => Promise<DeleteItem[]>;
}

/**
 * `docker image prune`: delete images no container uses (only untagged ones unless
 * `danglingOnly` is false). SpaceReclaimed counts the layers that no remaining image shares.
 */
export async function pruneImages(deps: PruneDeps, opts: ImagePruneOptions): Promise<ImagePruneReport> {
  const report: ImagePruneReport = { ImagesDeleted: [], SpaceReclaimed: 0 };
  const refs = new Map<string, { count: number; size: number }>();
  for (const row of deps.store.all()) {
    layerChain(row).forEach(({ chainID, size }) => {
      const r = refs.get(chainID) ?? { count: 0, size };
      r.count++;
      refs.set(chainID, r);
    });
  }
  const released = new Set<string>();
  // As dockerd: an image that is another's parent (a build step under a tagged image) is not a
  // candidate; once its children are gone it is, so passes repeat until nothing more goes.
  for (let pass = true; pass;) {
    pass = false;
    const parents = new Set<string>();
    for (const row of deps.store.all()) {
      const p = (await deps.store.config(row.id)).parent;
      if (typeof p === 'string') parents.add(p);
    }
    for (const row of deps.store.all()) {
      if (parents.has(row.id)) continue;
      if (opts.danglingOnly && deps.store.repoTags(row.id).length > 0) continue;
      if (deps.usedBy(row.id).length > 0) continue;
      if (opts.filter && !opts.filter(row, await deps.store.config(row.id))) continue;
      let items: DeleteItem[];
      try {
        // Forced only so that several tags do not stop it; an image in use was skipped above.
        items = await deps.remove(row.id.slice(7), { force: true });
      } catch (e) {
        if (e instanceof ConflictError || e instanceof NotFoundError) continue; // used or gone meanwhile
        throw e;
      }
      report.ImagesDeleted.push(...items);
      if (!items.some((i) => i.Deleted)) continue;
      pass = true;
      for (const { chainID } of layerChain(row)) {
        const r = refs.get(chainID)!;
        if (--r.count === 0) released.add(chainID);
      }
    }
  }
  for (const c of released) report.SpaceReclaimed += refs.get(c)!.size;
  deps.events.publish('image', 'prune', '', { reclaimed: String(report.SpaceReclaimed) });
  return report;
}

function layerChain(row: ImageRow): { chainID: string; size: number }[] {
  const ids = chainIDs(row.layers.map((l) => l.diffID as Digest));
  return row.layers.map((l, i) => ({ chainID: ids[i]!, size: l.uncompressedSize }));
}
