import type { UpdateRequest } from '../../../runtime/index.ts';
import { badRequest } from '../errors.ts';
import type { Route } from '../router.ts';
import { readJSON, sendJSON } from '../respond.ts';

/** `POST /containers/{id}/update`: resources and restart policy, saved and applied live. */
export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/:id/update',
  handler: async (r) => {
    const body = await readJSON<UpdateRequest | null>(r);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('invalid update config');
    await r.policy?.check({ kind: 'container.update', update: body });
    const { Warnings } = await r.engine.containerOps.update(r.params.id!, body);
    sendJSON(r.res, 200, { Warnings });
  },
}];
