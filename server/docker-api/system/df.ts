import type { Route } from '../router.ts';
import { sendJSON } from '../respond.ts';
import { badRequest } from '../errors.ts';
import { sharedSizes, summarize } from '../images/summary.ts';
import { volumeBody } from '../volumes/shape.ts';
import { summaryView } from '../containers/summary-view.ts';
import { mapInTurns } from '../turns.ts';

const TYPES = ['container', 'image', 'volume', 'build-cache'];

/**
 * GET /system/df: `docker system df [-v]`. Images count their containers and shared bytes,
 * containers their writable layer (SizeRw) and whole filesystem (SizeRootFs), volumes their
 * bytes and references. `type` narrows what is computed, as in dockerd (API 1.42+).
 */
export const routes: Route[] = [{
  method: 'GET',
  path: '/system/df',
  handler: async ({ engine, res, query, version }) => {
    const asked = query.getAll('type');
    for (const t of asked) if (!TYPES.includes(t)) throw badRequest(`unknown object type: ${t} (type)`);
    const want = (t: string): boolean => asked.length === 0 || asked.includes(t);
    const body: Record<string, unknown> = {};

    if (want('image')) {
      const shared = sharedSizes(engine);
      const layers = new Map<string, number>();
      const images = [];
      for (const row of engine.images.list()) {
        const ids = engine.images.chainIDs(row);
        row.layers.forEach((l, i) => layers.set(ids[i]!, l.uncompressedSize));
        const config = await engine.images.config(row.id);
        images.push(summarize(engine, row, config, { version, sharedSize: shared.get(row.id) ?? 0, containers: true }));
      }
      body.LayersSize = [...layers.values()].reduce((a, b) => a + b, 0);
      body.Images = images;
    }
    if (want('container')) {
      // One read of the kept sizes for every row: nothing here grows with rows squared.
      const rows = engine.containers.list();
      const shared = { size: true, sizesRw: await engine.usage.sizeRw(rows), imageSizes: new Map<string, number>(), now: Date.now(), images: new Map() };
      body.Containers = await mapInTurns(rows, (row) => summaryView(engine, row, shared));
    }
    if (want('volume')) {
      const refs = engine.volumes.inUse();
      body.Volumes = await Promise.all(engine.volumes.list().map(async (v) =>
        volumeBody(engine, v, { Size: await engine.usage.volumeSize(v.name), RefCount: refs.get(v.name) ?? 0 })));
    }
    if (want('build-cache')) body.BuildCache = [];
    sendJSON(res, 200, body);
  },
}];
