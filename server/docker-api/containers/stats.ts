import { badRequest } from '../errors.ts';
import type { Route } from '../router.ts';
import { queryBool } from '../respond.ts';

/**
 * `GET /containers/{id}/stats`: newline-delimited JSON, one reading per second while `stream`
 * (the default), else one reading, which dockerd pairs with an earlier one unless `one-shot`.
 */
export const routes: Route[] = [{
  method: 'GET',
  path: '/containers/:id/stats',
  handler: async ({ engine, res, params, query }) => {
    const stream = queryBool(query, 'stream', true);
    const oneShot = queryBool(query, 'one-shot', false);
    if (stream && oneShot) throw badRequest('cannot have stream=true and one-shot=true');
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    const readings = engine.containerOps.stats(params.id!, { stream, oneShot }, ac.signal);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    for await (const s of readings) {
      if (ac.signal.aborted) break;
      res.write(`${JSON.stringify(s)}\n`);
    }
    res.end();
  },
}];
