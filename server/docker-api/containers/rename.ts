import type { Route } from '../router.ts';
import { badRequest } from '../errors.ts';
import { sendEmpty } from '../respond.ts';

export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/:id/rename',
  handler: async ({ engine, res, params, query }) => {
    const name = query.get('name');
    if (!name) throw badRequest('Neither old nor new names may be empty (name)');
    await engine.containers.rename(params.id!, name);
    sendEmpty(res, 204);
  },
}];
