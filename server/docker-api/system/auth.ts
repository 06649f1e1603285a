import { badRequest } from '../errors.ts';
import { readJSON, sendJSON } from '../respond.ts';
import type { Route } from '../router.ts';
import type { Credentials } from '../../../runtime/index.ts';

/**
 * POST /auth: `docker login`. The credentials are checked against the registry and never
 * kept: the CLI stores them itself and sends them with each pull and push.
 */
export const routes: Route[] = [{
  method: 'POST',
  path: '/auth',
  handler: async (r) => {
    const body = await readJSON<Credentials>(r);
    for (const field of ['username', 'password', 'serveraddress', 'identitytoken'] as const) {
      if (body[field] !== undefined && typeof body[field] !== 'string') throw badRequest(`${field} must be a string (${field})`);
    }
    if (!body.username && !body.identitytoken) throw badRequest('username is required (username)');
    await r.engine.images.login(body);
    sendJSON(r.res, 200, { Status: 'Login Succeeded', IdentityToken: '' });
  },
}];
