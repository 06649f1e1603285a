import type { Route } from '../router.ts';
import { queryFilters, sendJSON } from '../respond.ts';

/**
 * POST /build/prune: there is no build cache yet, so nothing to delete. Answering keeps
 * `docker system prune` (which always ends with a build cache prune) working; the builder
 * takes this route over when it exists.
 */
export const routes: Route[] = [{
  method: 'POST',
  path: '/build/prune',
  handler: async ({ res, query }) => {
    queryFilters(query);
    sendJSON(res, 200, { CachesDeleted: null, SpaceReclaimed: 0 });
  },
}];
