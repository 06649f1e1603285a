import type { EngineEvent } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';
import { checkFilters, queryFilters } from '../respond.ts';
import { parseTimestampNs } from '../time.ts';

const FILTERS = ['container', 'daemon', 'event', 'image', 'label', 'network', 'node', 'plugin', 'scope', 'secret', 'service', 'type', 'volume', 'config'];

/** Docker's event JSON: the modern fields plus the legacy status/id/from the CLI still prints. */
function toDocker(e: EngineEvent): object {
  const legacy = e.Type === 'container' ? { status: e.Action, id: e.Actor.ID, from: e.Actor.Attributes.image ?? '' } : {};
  return { ...legacy, Type: e.Type, Action: e.Action, Actor: e.Actor, scope: e.scope, time: e.time, timeNano: e.timeNano };
}

function matches(e: EngineEvent, f: Map<string, string[]>): boolean {
  const any = (k: string, pred: (v: string) => boolean): boolean => { const vs = f.get(k); return !vs || vs.some(pred); };
  const name = e.Actor.Attributes.name ?? '';
  return any('type', (v) => v === e.Type)
    && any('event', (v) => v === e.Action || e.Action.startsWith(`${v}:`))
    && any('container', (v) => e.Type === 'container' && (e.Actor.ID.startsWith(v) || name === v))
    && any('image', (v) => (e.Type === 'image' && (e.Actor.ID === v || name === v)) || e.Actor.Attributes.image === v)
    && any('volume', (v) => e.Type === 'volume' && e.Actor.ID === v)
    && any('network', (v) => e.Type === 'network' && (e.Actor.ID.startsWith(v) || name === v))
    && any('label', (v) => {
      const [k, val] = v.split('=', 2) as [string, string | undefined];
      return k in e.Actor.Attributes && (val === undefined || e.Actor.Attributes[k] === val);
    })
    && any('scope', (v) => v === e.scope);
}

export const routes: Route[] = [{
  method: 'GET',
  path: '/events',
  handler: async ({ engine, req, res, query }) => {
    const filters = queryFilters(query);
    checkFilters(filters, FILTERS);
    const since = parseTimestampNs(query.get('since'), 'since');
    const until = parseTimestampNs(query.get('until'), 'until');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    const send = (e: EngineEvent): void => { if (matches(e, filters)) res.write(`${JSON.stringify(toDocker(e))}\n`); };
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    if (since !== undefined) for (const e of engine.events.replay(Number(since), Number(until ?? nowNs))) send(e);
    if (until !== undefined && until <= nowNs) { res.end(); return; }
    const unsubscribe = engine.events.subscribe((e) => {
      if (until !== undefined && BigInt(e.timeNano) > until) return;
      send(e);
    });
    const timer = until !== undefined ? setTimeout(() => res.end(), Number((until - nowNs) / 1_000_000n)) : undefined;
    await new Promise<void>((resolve) => { req.socket.once('close', resolve); res.once('finish', resolve); });
    unsubscribe();
    if (timer) clearTimeout(timer);
  },
}];
