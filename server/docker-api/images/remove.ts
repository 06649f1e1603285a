import type { Route } from '../router.ts';
import { queryBool, sendJSON } from '../respond.ts';

/**
 * DELETE /images/{name}: `docker rmi`. A name with other names left is only untagged; conflicts
 * (image in use, several repositories without force) are 409 with Docker's messages. There are no
 * parent images to prune, so `noprune` changes nothing.
 */
export const routes: Route[] = [{
  method: 'DELETE',
  path: '/images/:name*',
  handler: async ({ engine, res, params, query }) => {
    const force = queryBool(query, 'force');
    queryBool(query, 'noprune');
    sendJSON(res, 200, await engine.images.remove(params.name!, { force }));
  },
}];
