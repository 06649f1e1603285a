import type { Route } from '../router.ts';
import { queryInt, sendEmpty } from '../respond.ts';

export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/:id/stop',
  handler: async ({ engine, res, params, query }) => {
    await engine.containers.stop(params.id!, queryInt(query, 't'), query.get('signal') || undefined);
    sendEmpty(res, 204);
  },
}];
