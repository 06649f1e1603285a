import type { Route } from '../router.ts';
import { queryBool, sendJSON } from '../respond.ts';
import { inspectView } from './inspect-view.ts';

export const routes: Route[] = [{
  method: 'GET',
  path: '/containers/:id/json',
  handler: async ({ engine, res, params, query }) => {
    const row = engine.containers.get(params.id!);
    sendJSON(res, 200, await inspectView(engine, row, { size: queryBool(query, 'size') }));
  },
}];
