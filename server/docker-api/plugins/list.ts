import { badRequest } from '../errors.ts';
import type { Route } from '../router.ts';
import { checkFilters, queryFilters, sendJSON } from '../respond.ts';

/** `GET /plugins`: Wharf has no managed plugins, so the list is empty; filters are checked as dockerd checks them. */
export const routes: Route[] = [{
  method: 'GET',
  path: '/plugins',
  handler: async ({ res, query }) => {
    const filters = queryFilters(query);
    checkFilters(filters, ['enabled', 'capability']);
    for (const v of filters.get('enabled') ?? []) if (v !== 'true' && v !== 'false') throw badRequest(`invalid filter 'enabled=${v}'`);
    sendJSON(res, 200, []);
  },
}];
