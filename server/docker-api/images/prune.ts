import type { Route } from '../router.ts';
import { checkFilters, queryFilters, sendJSON } from '../respond.ts';
import { boolFilter, pruneLabels, untilMs } from './match.ts';

/** POST /images/prune: unused images, only untagged ones unless `dangling=false` (`prune -a`). */
export const routes: Route[] = [{
  method: 'POST',
  path: '/images/prune',
  handler: async ({ engine, res, query }) => {
    const f = queryFilters(query);
    checkFilters(f, ['dangling', 'label', 'label!', 'until']);
    const danglingOnly = boolFilter(f, 'dangling') ?? true;
    const until = untilMs(f);
    const labels = pruneLabels(f);
    const report = await engine.images.prune({
      danglingOnly,
      filter: (row, config) => (until === undefined || row.created * 1000 < until) && labels(config.config?.Labels),
    });
    sendJSON(res, 200, { ImagesDeleted: report.ImagesDeleted.length ? report.ImagesDeleted : null, SpaceReclaimed: report.SpaceReclaimed });
  },
}];
