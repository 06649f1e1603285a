import type { Route } from '../router.ts';
import { checkFilters, queryFilters, sendJSON } from '../respond.ts';
import { badRequest } from '../errors.ts';
import { boolFilter, matchLabels } from '../images/match.ts';
import { regexpFilter } from '../go-regexp.ts';
import { networkBody } from './shape.ts';

/** GET /networks: Docker's list (Containers left empty, as since API 1.28), with its filters. */
export const routes: Route[] = [{
  method: 'GET',
  path: '/networks',
  handler: async ({ engine, res, query }) => {
    const f = queryFilters(query);
    checkFilters(f, ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type']);
    for (const t of f.get('type') ?? []) if (t !== 'custom' && t !== 'builtin') throw badRequest(`invalid filter: 'type'='${t}'`);
    const dangling = boolFilter(f, 'dangling');
    const types = f.get('type');
    const nameMatches = regexpFilter('name', f.get('name'));
    const idMatches = regexpFilter('id', f.get('id'));
    const networks = engine.networks.list().filter((n) => {
      const builtin = engine.networks.isPredefined(n.Name);
      if (types?.length && !types.includes(builtin ? 'builtin' : 'custom')) return false;
      if (f.get('driver')?.length && !f.get('driver')!.includes(n.Driver)) return false;
      if (f.get('scope')?.length && !f.get('scope')!.includes(n.Scope)) return false;
      if (!nameMatches(n.Name) || !idMatches(n.Id) || !matchLabels(f.get('label'), n.Labels)) return false;
      if (dangling !== undefined) {
        const used = builtin || Object.keys(engine.networks.endpoints(n)).length > 0;
        if (used === dangling) return false;
      }
      return true;
    });
    sendJSON(res, 200, networks.map((n) => networkBody(engine, n, false)));
  },
}];
