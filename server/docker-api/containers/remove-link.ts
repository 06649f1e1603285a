import type { Route } from '../router.ts';
import { queryBool, sendEmpty } from '../respond.ts';

/**
 * `DELETE /containers/{parent}/{alias}`: dockerd names a linked child `/parent/alias` too. With
 * `link=1` (`docker rm --link`) only the parent's link goes; without it the child is removed.
 */
export const routes: Route[] = [{
  method: 'DELETE',
  path: '/containers/:parent/:alias',
  handler: async ({ engine, res, params, query }) => {
    const force = queryBool(query, 'force');
    const volumes = queryBool(query, 'v');
    if (queryBool(query, 'link')) {
      await engine.containers.removeLink(params.parent!, params.alias!);
      sendEmpty(res, 204);
      return;
    }
    const { id } = engine.containers.get(engine.containers.linkedChild(params.parent!, params.alias!));
    await engine.containers.remove(id, { force });
    if (volumes) await engine.volumes.removeAnonymousOf(id);
    sendEmpty(res, 204);
  },
}];
