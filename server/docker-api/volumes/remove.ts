import type { Route } from '../router.ts';
import { queryBool, sendEmpty } from '../respond.ts';

/** DELETE /volumes/{name}: 409 while a container refers to it; `force` only forgives a missing volume. */
export const routes: Route[] = [{
  method: 'DELETE',
  path: '/volumes/:name',
  handler: async ({ engine, res, params, query }) => {
    await engine.volumes.remove(params.name!, { force: queryBool(query, 'force') });
    sendEmpty(res, 204);
  },
}];
