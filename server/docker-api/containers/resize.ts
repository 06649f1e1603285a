import type { Route } from '../router.ts';
import { badRequest } from '../errors.ts';
import { queryInt, sendEmpty } from '../respond.ts';
import { publishContainerEvent } from './events.ts';

export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/:id/resize',
  handler: async ({ engine, res, params, query }) => {
    const h = queryInt(query, 'h') ?? 0;
    const w = queryInt(query, 'w') ?? 0;
    if (h < 0 || w < 0 || h > 65535 || w > 65535) throw badRequest(`invalid terminal size: h=${h} w=${w}`);
    const row = engine.containers.get(params.id!);
    // A running container without a TTY has nothing to resize; dockerd accepts that silently.
    if (row.record.Config.Tty || !row.state.Running) await engine.containers.resize(row.id, h, w);
    publishContainerEvent(engine, row, 'resize', { height: String(h), width: String(w) });
    sendEmpty(res, 200);
  },
}];
