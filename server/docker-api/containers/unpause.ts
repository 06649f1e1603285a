import type { Route } from '../router.ts';
import { sendEmpty } from '../respond.ts';

export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/:id/unpause',
  handler: async ({ engine, res, params }) => {
    await engine.containers.unpause(params.id!);
    sendEmpty(res, 204);
  },
}];
