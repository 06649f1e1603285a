import type { NetworkCreateRequest } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';
import { readJSON, sendJSON } from '../respond.ts';
import { badRequest } from '../errors.ts';
import { forbidden } from './shape.ts';

/** POST /networks/create: 201 {Id, Warning}; 400 bad IPAM, 403 pre-defined names and overlaps, 409 duplicates. */
export const routes: Route[] = [{
  method: 'POST',
  path: '/networks/create',
  handler: async (r) => {
    const body = await readJSON<NetworkCreateRequest>(r);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the request body must be a JSON object');
    if (body.Name !== undefined && typeof body.Name !== 'string') throw badRequest('Name must be a string');
    if (body.IPAM?.Config != null && !Array.isArray(body.IPAM.Config)) throw badRequest('IPAM.Config must be a list');
    await r.policy?.check({ kind: 'network.create', driver: body.Driver || 'bridge', options: body.Options ?? {} });
    sendJSON(r.res, 201, await forbidden(() => r.engine.networks.create(body)));
  },
}];
