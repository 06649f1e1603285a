import { badRequest } from '../errors.ts';
import type { Route } from '../router.ts';
import { queryInt, sendEmpty } from '../respond.ts';

/** `POST /exec/{id}/resize?h=&w=`: resize the exec's TTY; an exec that already ended has nothing to resize. */
export const routes: Route[] = [{
  method: 'POST',
  path: '/exec/:id/resize',
  handler: async ({ engine, res, params, query }) => {
    const h = queryInt(query, 'h');
    const w = queryInt(query, 'w');
    if (h === undefined || h < 0) throw badRequest('h: must be a non-negative integer');
    if (w === undefined || w < 0) throw badRequest('w: must be a non-negative integer');
    engine.containers.exec.resize(params.id!, h, w);
    sendEmpty(res, 200);
  },
}];
