import { isWharfError } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';
import { queryInt, sendEmpty } from '../respond.ts';

export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/:id/restart',
  handler: async ({ engine, res, params, query }) => {
    const t = queryInt(query, 't');
    const signal = query.get('signal');
    if (signal) {
      // Stop with the asked-for signal first; restart then finds it stopped and starts it.
      await engine.containers.stop(params.id!, t, signal).catch((e: unknown) => {
        if (!(isWharfError(e) && e.code === 'NotModified')) throw e;
      });
    }
    await engine.containers.restart(params.id!, t);
    sendEmpty(res, 204);
  },
}];
