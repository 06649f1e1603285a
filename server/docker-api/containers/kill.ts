import type { Route } from '../router.ts';
import { sendEmpty } from '../respond.ts';

export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/:id/kill',
  handler: async ({ engine, res, params, query }) => {
    await engine.containers.kill(params.id!, query.get('signal') || undefined);
    sendEmpty(res, 204);
  },
}];
