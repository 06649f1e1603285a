import type { Route } from '../router.ts';
import { queryBool, sendJSON } from '../respond.ts';
import { NotFoundError } from '../../../runtime/index.ts';
import { networkBody } from './shape.ts';

/** GET /networks/{id}: by id, name or id prefix, with the running containers attached to it. */
export const routes: Route[] = [{
  method: 'GET',
  path: '/networks/:id',
  handler: async ({ engine, res, params, query }) => {
    queryBool(query, 'verbose');
    const n = engine.networks.get(params.id!);
    // Every network here is local: asking for another scope finds nothing, as in dockerd.
    const scope = query.get('scope');
    if (scope && scope !== n.Scope) throw new NotFoundError(`network ${params.id!} not found`);
    sendJSON(res, 200, networkBody(engine, n, true));
  },
}];
