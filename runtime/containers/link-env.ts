import { FailedPreconditionError } from '../errors.ts';
import type { ContainerContext, Row } from './context.ts';
import { findContainer } from './resolve.ts';

interface Port { num: number; proto: string }

/** A HostConfig.Links entry (`child`, `child:alias`, `/child:/parent/alias`) as child and alias. */
export function linkEntry(entry: string): { child: string; alias: string } {
  const [child, alias] = entry.split(':') as [string, string?];
  const name = child.replace(/^\//, '');
  return { child: name, alias: (alias ?? name).split('/').pop()! };
}

/** By number, TCP first on a tie (moby's order for link variables). */
function sortPorts(ports: Port[]): Port[] {
  return [...ports].sort((a, b) => a.num - b.num || Number(b.proto === 'tcp') - Number(a.proto === 'tcp'));
}

/** Index of the last port of the run of consecutive numbers starting at `index`. */
function runEnd(ports: Port[], index: number): number {
  let value = ports[index]!.num;
  for (let i = index + 1; i < ports.length; i++) {
    if (ports[i]!.num > value + 1) return i - 1;
    value++;
  }
  return ports.length - 1;
}

/**
 * The environment dockerd gives a container for one legacy link: the child's address per
 * exposed port (`ALIAS_PORT_80_TCP…`, ranges as `…_START`/`…_END`), the link's name and the
 * child's own environment as `ALIAS_ENV_*`. `name` is the link's full name, `/parent/alias`.
 */
export function linkEnv(name: string, ip: string, childEnv: readonly string[], exposed: readonly string[]): string[] {
  const alias = name.split('/').pop()!.toUpperCase().replaceAll('-', '_');
  const ports = sortPorts(exposed.map((k) => {
    const [num, proto = 'tcp'] = k.split('/') as [string, string?];
    return { num: Number(num), proto };
  }));
  const env: string[] = [];
  const key = (p: Port, proto = p.proto): string => `${alias}_PORT_${p.num}_${proto.toUpperCase()}`;
  if (ports.length) env.push(`${alias}_PORT=${ports[0]!.proto}://${ip}:${ports[0]!.num}`);
  for (let i = 0; i < ports.length;) {
    const p = ports[i]!;
    const j = runEnd(ports, i);
    if (j > i + 1) {
      const q = ports[j]!;
      env.push(`${key(p)}_START=${p.proto}://${ip}:${p.num}`, `${key(p)}_ADDR=${ip}`, `${key(p)}_PROTO=${p.proto}`, `${key(p)}_PORT_START=${p.num}`);
      env.push(`${key(p, q.proto)}_END=${q.proto}://${ip}:${q.num}`, `${key(p, q.proto)}_PORT_END=${q.num}`);
      i = j + 1;
    } else i++;
  }
  for (const p of ports) env.push(`${key(p)}=${p.proto}://${ip}:${p.num}`, `${key(p)}_ADDR=${ip}`, `${key(p)}_PORT=${p.num}`, `${key(p)}_PROTO=${p.proto}`);
  env.push(`${alias}_NAME=${name}`);
  for (const e of childEnv) {
    const at = e.indexOf('=');
    if (at < 0) continue;
    const k = e.slice(0, at);
    // Variables of the image's build, not of interest to the parent.
    if (k === 'HOME' || k === 'PATH') continue;
    env.push(`${alias}_ENV_${k}=${e.slice(at + 1)}`);
  }
  return env;
}

/**
 * The link variables of every --link of `row`, from its children's addresses on the default
 * bridge. A child that is not running fails the start, as with dockerd.
 */
export function linksEnv(ctx: ContainerContext, row: Row, linked: readonly { id: string; ip: string }[]): string[] {
  const env: string[] = [];
  for (const entry of row.record.HostConfig.Links ?? []) {
    const { child, alias } = linkEntry(entry);
    const c = findContainer(ctx, child);
    if (!c) continue;
    const name = `/${row.name}/${alias}`;
    if (!c.state.Running) throw new FailedPreconditionError(`Cannot link to a non running container: /${c.name} AS ${name}`);
    const ip = linked.find((l) => l.id === c.id)?.ip;
    if (!ip) continue;
    const exposed = Object.keys(c.record.Config.ExposedPorts ?? {});
    env.push(...linkEnv(name, ip, c.record.Config.Env ?? [], exposed));
  }
  return env;
}
