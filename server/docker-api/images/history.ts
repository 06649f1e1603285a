import type { Route } from '../router.ts';
import { sendJSON } from '../respond.ts';

interface HistoryItem { Id: string; Created: number; CreatedBy: string; Tags: string[] | null; Size: number; Comment: string }

const seconds = (t: string | undefined): number => Math.floor(Date.parse(t ?? '') / 1000) || 0;

/**
 * `docker history`: the config's history, newest first. A non-empty entry is sized by its layer;
 * the top entry carries the image id and tags, the ones below `<missing>` (no local image for them).
 */
export const routes: Route[] = [{
  method: 'GET',
  path: '/images/:name*/history',
  handler: async ({ engine, res, params }) => {
    const images = engine.images;
    const row = images.resolve(params.name!);
    const config = await images.config(row.id);
    // Images built without history still have layers: one entry each keeps sizes truthful.
    const history = config.history?.length ? config.history : row.layers.map(() => ({ created: config.created, created_by: '', comment: '', empty_layer: false }));
    const items: HistoryItem[] = [];
    let layer = 0;
    for (const h of history) {
      const size = h.empty_layer ? 0 : row.layers[layer++]?.uncompressedSize ?? 0;
      items.unshift({ Id: '<missing>', Created: seconds(h.created), CreatedBy: h.created_by ?? '', Tags: null, Size: size, Comment: h.comment ?? '' });
    }
    if (items[0]) {
      const tags = images.repoTags(row.id);
      items[0].Id = row.id;
      items[0].Tags = tags.length ? tags : null;
    }
    sendJSON(res, 200, items);
  },
}];
