import type { Route } from '../router.ts';
import { checkFilters, queryFilters, sendJSON } from '../respond.ts';
import { boolFilter, pruneLabels } from '../images/match.ts';

/** POST /volumes/prune: unused anonymous volumes, or every unused one with `all=true` (Docker 23+). */
export const routes: Route[] = [{
  method: 'POST',
  path: '/volumes/prune',
  handler: async ({ engine, res, query }) => {
    const f = queryFilters(query);
    checkFilters(f, ['label', 'label!', 'all']);
    const labels = pruneLabels(f);
    const report = await engine.volumes.prune({ all: boolFilter(f, 'all') ?? false, filter: (v) => labels(v.labels) });
    sendJSON(res, 200, { VolumesDeleted: report.VolumesDeleted.length ? report.VolumesDeleted : null, SpaceReclaimed: report.SpaceReclaimed });
  },
}];
