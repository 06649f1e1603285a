import type { Route } from '../router.ts';
import { sendJSON } from '../respond.ts';

/** `GET /containers/{id}/changes`: `[{Path, Kind}]`, Kind 0 modified, 1 added, 2 deleted. */
export const routes: Route[] = [{
  method: 'GET',
  path: '/containers/:id/changes',
  handler: async ({ engine, res, params }) => {
    sendJSON(res, 200, await engine.containerOps.changes(params.id!));
  },
}];
