import type { Route } from '../router.ts';
import { sendJSON } from '../respond.ts';
import { volumeBody } from './shape.ts';

export const routes: Route[] = [{
  method: 'GET',
  path: '/volumes/:name',
  handler: async ({ engine, res, params }) => {
    sendJSON(res, 200, volumeBody(engine, engine.volumes.get(params.name!)));
  },
}];
