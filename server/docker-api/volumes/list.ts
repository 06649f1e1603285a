import type { Route } from '../router.ts';
import { checkFilters, queryFilters, sendJSON } from '../respond.ts';
import { boolFilter, matchLabels } from '../images/match.ts';
import { regexpFilter } from '../go-regexp.ts';
import { volumeBody } from './shape.ts';

/** GET /volumes: filters dangling (no container refers to it), name (regexp), driver, label. */
export const routes: Route[] = [{
  method: 'GET',
  path: '/volumes',
  handler: async ({ engine, res, query }) => {
    const f = queryFilters(query);
    checkFilters(f, ['dangling', 'name', 'driver', 'label']);
    const dangling = boolFilter(f, 'dangling');
    const used = dangling === undefined ? undefined : engine.volumes.inUse();
    const nameMatches = regexpFilter('name', f.get('name'));
    const volumes = engine.volumes.list().filter((v) =>
      (used === undefined || used.has(v.name) !== dangling)
      && nameMatches(v.name)
      && (!f.get('driver')?.length || f.get('driver')!.includes(v.driver))
      && matchLabels(f.get('label'), v.labels));
    sendJSON(res, 200, { Volumes: volumes.map((v) => volumeBody(engine, v)), Warnings: [] });
  },
}];
