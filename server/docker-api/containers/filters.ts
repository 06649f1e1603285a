import type { Engine } from '../../../runtime/index.ts';
import { badRequest } from '../errors.ts';
import { checkFilters } from '../respond.ts';
import { regexpFilter } from '../go-regexp.ts';
import { mountsView } from './mounts-view.ts';
import { findNetwork, networkName } from './network-view.ts';
import { healthString, stateString } from './status.ts';

type Row = ReturnType<Engine['containers']['get']>;

export const PS_FILTERS = ['ancestor', 'before', 'expose', 'exited', 'health', 'id', 'isolation', 'is-task', 'label', 'name', 'network', 'publish', 'since', 'status', 'volume'] as const;
const STATES = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];
const HEALTH = ['starting', 'healthy', 'unhealthy', 'none'];

export interface ListQuery { all: boolean; limit: number; filters: Map<string, string[]> }

const invalid = (name: string, value: string): Error => badRequest(`invalid filter '${name}=${value}'`);

/**
 * dockerd's container list: newest first, running ones unless `all`, then every filter.
 * `name` and `id` are regular expressions (so a plain word matches a substring), the rest
 * are exact. `before`/`since` cut the list at a container and, like `limit` and `status`,
 * include stopped containers.
 */
export function listContainers(engine: Engine, q: ListQuery): Row[] {
  const f = q.filters;
  checkFilters(f, PS_FILTERS);
  const values = (k: string): string[] => f.get(k) ?? [];
  for (const v of values('status')) if (!STATES.includes(v)) throw invalid('status', v);
  // dockerd words this one differently from the other filters.
  for (const v of values('health')) if (!HEALTH.includes(v)) throw badRequest(`Unrecognised filter value for health: ${v}`);
  for (const v of values('is-task')) if (v !== 'true' && v !== 'false') throw invalid('is-task', v);
  const exited = values('exited').map((v) => {
    if (!/^-?\d+$/.test(v)) throw invalid('exited', v);
    return Number(v);
  });
  const publish = portSet('publish', values('publish'));
  const expose = portSet('expose', values('expose'));
  let before = values('before').length ? engine.containers.get(values('before').at(-1)!).id : undefined;
  const since = values('since').length ? engine.containers.get(values('since').at(-1)!).id : undefined;
  const ancestors = f.has('ancestor') ? ancestorImages(engine, values('ancestor')) : undefined;
  const all = q.all || f.has('status');
  const nameMatches = regexpFilter('name', values('name'));
  const idMatches = regexpFilter('id', values('id'));

  const out: Row[] = [];
  for (const row of engine.containers.list()) {
    const s = row.state;
    const rec = row.record;
    if (!s.Running && !s.Restarting && !all && q.limit <= 0 && !before && !since) continue;
    if (!nameMatches(`/${row.name}`) || !idMatches(row.id)) continue;
    if (!matchLabels(values('label'), rec.Config.Labels ?? {})) continue;
    if (f.has('isolation') && !values('isolation').some((v) => v === 'default' || v === (rec.HostConfig as { Isolation?: string }).Isolation)) continue;
    if (before) {
      if (row.id === before) before = undefined;
      continue;
    }
    if (since && row.id === since) break;
    if (q.limit > 0 && out.length === q.limit) break;
    if (exited.length && !(stateString(s) === 'exited' && exited.includes(s.ExitCode))) continue;
    if (f.has('status') && !values('status').includes(stateString(s))) continue;
    if (f.has('health') && !values('health').includes(healthString(s))) continue;
    if (f.has('is-task') && values('is-task').includes('true') !== !!rec.Config.Labels?.['com.docker.swarm.task']) continue;
    if (ancestors && !ancestors.has(rec.Image)) continue;
    if (f.has('volume') && !mountsView(rec).some((m) => values('volume').some((v) => v === m.Destination || v === (m.Name || m.Source)))) continue;
    if (f.has('network') && !inNetwork(engine, networkName(rec), values('network'))) continue;
    if (publish && !Object.keys(rec.HostConfig.PortBindings ?? {}).some((p) => publish.has(withProto(p)))) continue;
    if (expose && !Object.keys(rec.Config.ExposedPorts ?? {}).some((p) => expose.has(withProto(p)))) continue;
    out.push(row);
  }
  return out;
}

/** `key` requires the label, `key=value` requires that value; all must hold. */
export function matchLabels(wanted: string[], labels: Record<string, string>): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    const key = eq < 0 ? w : w.slice(0, eq);
    if (!(key in labels)) return false;
    return eq < 0 || labels[key] === w.slice(eq + 1);
  });
}

/** The image ids an `ancestor` filter stands for: each named image and every image built on it. */
function ancestorImages(engine: Engine, refs: string[]): Set<string> {
  const out = new Set<string>();
  const images = engine.images.list();
  for (const ref of refs) {
    const base = engine.images.find(ref);
    if (!base) continue;
    const diffs = base.layers.map((l) => l.diffID);
    for (const img of images) {
      if (img.id === base.id || (img.layers.length >= diffs.length && diffs.every((d, i) => img.layers[i]!.diffID === d) && diffs.length > 0)) out.add(img.id);
    }
  }
  return out;
}

/** A network filter value is the network's name, or its id or an id prefix. */
function inNetwork(engine: Engine, name: string | undefined, wanted: string[]): boolean {
  if (!name) return false;
  const id = findNetwork(engine, name)?.Id;
  return wanted.some((v) => v === name || (!!id && id.startsWith(v)));
}

function withProto(p: string): string {
  return p.includes('/') ? p : `${p}/tcp`;
}

/** `80`, `80/udp`, `8000-8010/tcp` → the set of `port/proto` keys they cover. */
function portSet(name: string, specs: string[]): Set<string> | undefined {
  if (specs.length === 0) return undefined;
  const out = new Set<string>();
  for (const v of specs) {
    if (v.includes(':')) throw badRequest(`filter for '${name}' should not contain ':': ${v}`);
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(v);
    if (!m) throw badRequest(`error while looking up for ${name} ${v}: invalid port`);
    const start = Number(m[1]);
    const end = m[2] ? Number(m[2]) : start;
    if (end < start || end > 65535) throw badRequest(`error while looking up for ${name} ${v}: invalid range`);
    for (let p = start; p <= end; p++) out.add(`${p}/${m[3] ?? 'tcp'}`);
  }
  return out;
}
