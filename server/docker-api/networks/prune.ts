import type { Route } from '../router.ts';
import { checkFilters, queryFilters, sendJSON } from '../respond.ts';
import { pruneLabels, untilMs } from '../images/match.ts';

/** POST /networks/prune: user-defined networks with no running container. */
export const routes: Route[] = [{
  method: 'POST',
  path: '/networks/prune',
  handler: async ({ engine, res, query }) => {
    const f = queryFilters(query);
    checkFilters(f, ['until', 'label', 'label!']);
    const until = untilMs(f);
    const labels = pruneLabels(f);
    const report = await engine.networks.prune((n) => (until === undefined || Date.parse(n.Created) < until) && labels(n.Labels));
    sendJSON(res, 200, { NetworksDeleted: report.NetworksDeleted.length ? report.NetworksDeleted : null });
  },
}];
