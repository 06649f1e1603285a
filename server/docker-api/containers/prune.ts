import type { Route } from '../router.ts';
import { badRequest } from '../errors.ts';
import { checkFilters, queryFilters, sendJSON } from '../respond.ts';
import { parseTimestampNs } from '../time.ts';
import { matchLabels } from './filters.ts';
import { sizes } from './inspect-view.ts';

const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `until` as prune takes it: a Go duration back from now (`24h`, `1h30m`) or a timestamp. */
export function parseUntil(value: string, now = Date.now()): number {
  if (GO_DURATION.test(value)) {
    let ms = 0;
    for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    return now - ms;
  }
  return Number(parseTimestampNs(value, 'until')! / 1_000_000n);
}

/** `docker container prune`: every container that is not running, narrowed by until/label filters. */
export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/prune',
  handler: async ({ engine, res, query }) => {
    const f = queryFilters(query);
    checkFilters(f, ['until', 'label', 'label!']);
    const untils = (f.get('until') ?? []).map((v) => parseUntil(v));
    if (untils.length > 1) throw badRequest('more than one until filter specified (until)');
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const row of engine.containers.list()) {
      const s = row.state;
      if (s.Running || s.Restarting || s.Paused || s.Status === 'removing') continue;
      if (untils.length && Date.parse(row.record.Created) >= untils[0]!) continue;
      const labels = row.record.Config.Labels ?? {};
      if (!matchLabels(f.get('label') ?? [], labels)) continue;
      if ((f.get('label!') ?? []).some((l) => matchLabels([l], labels))) continue;
      const { SizeRw } = await sizes(engine, row);
      try {
        await engine.containers.remove(row.id);
      } catch {
        // Started or removed meanwhile: not pruned, as in dockerd.
        continue;
      }
      deleted.push(row.id);
      reclaimed += SizeRw;
    }
    engine.events.publish('container', 'prune', '', { reclaimed: String(reclaimed) });
    sendJSON(res, 200, { ContainersDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed });
  },
}];
