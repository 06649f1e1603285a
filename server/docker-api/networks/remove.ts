import type { Route } from '../router.ts';
import { sendEmpty } from '../respond.ts';
import { forbidden } from './shape.ts';

/** DELETE /networks/{id}: 403 for pre-defined networks and for networks with running containers, as dockerd. */
export const routes: Route[] = [{
  method: 'DELETE',
  path: '/networks/:id',
  handler: async ({ engine, res, params }) => {
    await forbidden(() => engine.networks.remove(params.id!));
    sendEmpty(res, 204);
  },
}];
