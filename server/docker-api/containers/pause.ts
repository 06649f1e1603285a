import type { Route } from '../router.ts';
import { sendEmpty } from '../respond.ts';

export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/:id/pause',
  handler: async ({ engine, res, params }) => {
    await engine.containers.pause(params.id!);
    sendEmpty(res, 204);
  },
}];
