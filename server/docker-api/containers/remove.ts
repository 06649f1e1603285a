import type { Route } from '../router.ts';
import { badRequest } from '../errors.ts';
import { queryBool, sendEmpty } from '../respond.ts';

export const routes: Route[] = [{
  method: 'DELETE',
  path: '/containers/:id',
  handler: async ({ engine, res, params, query }) => {
    const force = queryBool(query, 'force');
    const volumes = queryBool(query, 'v');
    const { id } = engine.containers.get(params.id!);
    // A link is named `parent/alias` (remove-link.ts); a bare name is the container's own.
    if (queryBool(query, 'link')) throw badRequest('Conflict, cannot remove the default link name of the container');
    // `rm -v`: the anonymous volumes go with the container, unless another one uses them.
    await engine.containers.remove(id, { force, volumes });
    sendEmpty(res, 204);
  },
}];
