import path from 'node:path';
import { InvalidArgumentError, parseGoDuration } from '../../runtime/index.ts';
import type { HealthcheckSpec, MountSpec, NetworkAttachment, PortSpec } from './model.ts';

/** The long forms of compose's short syntaxes, as the compose-spec defines them. */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** `KEY=VALUE` lists and mappings alike; a bare `KEY` takes the value from `lookup` (compose's shell environment). */
export function keyValues(v: unknown, lookup: (key: string) => string | undefined = () => undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const item of v.map(String)) {
      const eq = item.indexOf('=');
      if (eq >= 0) out[item.slice(0, eq)] = item.slice(eq + 1);
      else {
        const value = lookup(item);
        if (value !== undefined) out[item] = value;
      }
    }
  } else if (isObject(v)) {
    for (const [k, value] of Object.entries(v)) {
      if (value === null || value === undefined) {
        const found = lookup(k);
        if (found !== undefined) out[k] = found;
      } else out[k] = String(value);
    }
  }
  return out;
}

/** A command as compose takes it: a list as is, a string split like a shell would (quotes kept together). */
export function commandList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String);
  const out: string[] = [];
  for (const m of String(v).matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[3]!);
  return out;
}

export function ports(list: unknown[], where: string): PortSpec[] {
  return list.flatMap((p, i): PortSpec[] => {
    if (isObject(p)) {
      return [{ target: Number(p.target), published: p.published === undefined ? undefined : String(p.published), host_ip: p.host_ip as string | undefined, protocol: (p.protocol as PortSpec['protocol']) ?? 'tcp' }];
    }
    const text = String(p);
    const m = /^(?:(?:\[([0-9a-fA-F:.]+)\]|(\d+\.\d+\.\d+\.\d+)):)?(?:(\d+(?:-\d+)?)?:)?(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(text);
    if (!m) throw new InvalidArgumentError(`${where}.ports[${i}]: "${text}" is not a port mapping`, { field: `${where}.ports` });
    const [, ip6, ip4, published, start, end, proto] = m;
    const first = Number(start);
    const last = end ? Number(end) : first;
    const protocol = (proto ?? 'tcp') as PortSpec['protocol'];
    const [pubFirst, pubLast] = (published ?? '').split('-').map(Number);
    return Array.from({ length: last - first + 1 }, (_, k) => ({
      target: first + k,
      published: published === undefined ? undefined : pubLast !== undefined && last > first ? String(pubFirst! + k) : published,
      host_ip: ip6 ?? ip4,
      protocol,
    }));
  });
}

/** `source:target[:mode]`, `target` (anonymous volume) or the long syntax. */
export function volumes(list: unknown[], workingDir: string, where: string): MountSpec[] {
  return list.map((v, i): MountSpec => {
    if (isObject(v)) {
      const type = (v.type as MountSpec['type'] | undefined) ?? 'volume';
      if (type !== 'volume' && type !== 'bind' && type !== 'tmpfs') throw new InvalidArgumentError(`${where}.volumes[${i}].type: ${String(type)} mounts are not supported`, { field: `${where}.volumes` });
      const source = v.source === undefined ? undefined : String(v.source);
      const tmpfs = isObject(v.tmpfs) ? v.tmpfs : undefined;
      return {
        type,
        source: type === 'bind' && source ? hostPath(source, workingDir) : source,
        target: String(v.target),
        read_only: v.read_only === true,
        tmpfs_size: tmpfs?.size === undefined ? undefined : byteSize(tmpfs.size, `${where}.volumes[${i}].tmpfs.size`),
      };
    }
    const parts = String(v).split(':');
    if (parts.length === 1) return { type: 'volume', target: parts[0]!, read_only: false };
    const [source, target, mode = ''] = parts as [string, string, string?];
    const readOnly = mode.split(',').includes('ro');
    const bind = source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
    return { type: bind ? 'bind' : 'volume', source: bind ? hostPath(source, workingDir) : source, target, read_only: readOnly };
  });
}

function hostPath(p: string, workingDir: string): string {
  if (p.startsWith('~')) return path.join(process.env.HOME ?? '/root', p.slice(1));
  return path.resolve(workingDir, p);
}

export function networks(v: unknown): Record<string, NetworkAttachment> {
  if (Array.isArray(v)) return Object.fromEntries(v.map((n) => [String(n), { aliases: [] }]));
  if (!isObject(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([name, a]) => {
    const att = isObject(a) ? a : {};
    return [name, { aliases: Array.isArray(att.aliases) ? att.aliases.map(String) : [], ipv4_address: att.ipv4_address as string | undefined }];
  }));
}

export function healthcheck(v: unknown, where: string): HealthcheckSpec | { disable: true } | undefined {
  if (!isObject(v)) return undefined;
  if (v.disable === true) return { disable: true };
  const test = v.test === undefined ? [] : typeof v.test === 'string' ? ['CMD-SHELL', v.test] : (v.test as unknown[]).map(String);
  if (test[0] === 'NONE') return { disable: true };
  const ns = (key: string): number | undefined => {
    if (v[key] === undefined) return undefined;
    const d = parseGoDuration(String(v[key]));
    if (d === undefined) throw new InvalidArgumentError(`${where}.healthcheck.${key}: "${String(v[key])}" is not a duration`, { field: `${where}.healthcheck.${key}` });
    return d;
  };
  return { test, interval_ns: ns('interval'), timeout_ns: ns('timeout'), start_period_ns: ns('start_period'), retries: v.retries === undefined ? undefined : Number(v.retries) };
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** `512m`, `1g`, `1024` as bytes. */
export function byteSize(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(String(v).trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new InvalidArgumentError(`${where}: "${String(v)}" is not a byte size`, { field: where });
  return Math.round(Number(m[1]) * unit);
}
