import type { WaitCondition } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';
import { badRequest } from '../errors.ts';

const CONDITIONS = ['not-running', 'next-exit', 'removed'];

/**
 * The status line goes out as soon as the waiter is registered: `docker run` posts this
 * before `start` and only starts the container once the headers have arrived.
 */
export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/:id/wait',
  handler: async ({ engine, req, res, params, query }) => {
    const condition = query.get('condition') || 'not-running';
    if (!CONDITIONS.includes(condition)) throw badRequest(`invalid condition: "${condition}"`);
    const abort = new AbortController();
    const result = engine.containers.waitUntil(params.id!, condition as WaitCondition, abort.signal);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    const gone = (): void => abort.abort(new Error('client went away'));
    req.socket.once('close', gone);
    try {
      const status = await result;
      res.end(`${JSON.stringify(status)}\n`);
    } catch {
      res.destroy();
    } finally {
      req.socket.off('close', gone);
    }
  },
}];
