import { posix } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';
import type { ContainerConfig } from './oci-types.ts';
import { parseGoDuration } from '../util/duration.ts';

/**
 * Apply `--change` Dockerfile instructions to an image's runtime config, as Docker's
 * BuildFromConfig does for `docker import` and `docker commit`. Returns a new config;
 * an unknown or malformed instruction is an InvalidArgumentError naming it.
 */
export function applyChanges(base: ContainerConfig, changes: readonly string[]): ContainerConfig {
  const c: ContainerConfig = structuredClone(base);
  let cmdSet = false;
  for (const change of changes) {
    const line = change.trim();
    if (!line) continue;
    const sp = line.search(/\s/);
    const keyword = (sp < 0 ? line : line.slice(0, sp)).toLowerCase();
    const rest = sp < 0 ? '' : line.slice(sp).trim();
    switch (keyword) {
      case 'cmd': c.Cmd = command(rest); cmdSet = true; break;
      case 'entrypoint':
        c.Entrypoint = command(rest);
        // As in a Dockerfile: a new ENTRYPOINT drops an inherited CMD unless CMD is set too.
        if (!cmdSet) delete c.Cmd;
        break;
      case 'env': c.Env = setEnv(c.Env ?? [], pairs(rest, 'ENV', true)); break;
      case 'label': c.Labels = { ...c.Labels, ...Object.fromEntries(pairs(rest, 'LABEL', false)) }; break;
      case 'expose': c.ExposedPorts = { ...c.ExposedPorts, ...Object.fromEntries(words(rest).flatMap(ports).map((p) => [p, {}])) }; break;
      case 'user': c.User = required(rest, 'USER'); break;
      case 'workdir': c.WorkingDir = posix.resolve(c.WorkingDir || '/', required(rest, 'WORKDIR')); break;
      case 'volume': c.Volumes = { ...c.Volumes, ...Object.fromEntries(volumes(rest).map((v) => [v, {}])) }; break;
      case 'stopsignal': c.StopSignal = required(rest, 'STOPSIGNAL'); break;
      case 'onbuild': c.OnBuild = [...(c.OnBuild ?? []), onbuild(rest)]; break;
      case 'shell': {
        const shell = jsonArray(rest);
        if (!shell) throw new InvalidArgumentError(`SHELL requires the arguments to be in JSON form: ${change}`);
        c.Shell = shell;
        break;
      }
      case 'healthcheck': c.Healthcheck = healthcheck(rest, change); break;
      default: throw new InvalidArgumentError(`${keyword} is not a valid change command`);
    }
  }
  return c;
}

function required(v: string, what: string): string {
  if (!v) throw new InvalidArgumentError(`${what} requires exactly one argument`);
  return v;
}

function jsonArray(s: string): string[] | undefined {
  if (!s.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
  } catch { return undefined; }
}

/** Exec form (JSON array) as it is; shell form runs under /bin/sh -c. */
function command(rest: string): string[] {
  return jsonArray(rest) ?? ['/bin/sh', '-c', rest];
}

/** Split on unquoted whitespace; quotes group and are removed, a backslash escapes. */
function words(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && quote !== "'" && i + 1 < s.length) { cur += s[++i]; inWord = true; continue; }
    if (quote) { if (ch === quote) quote = null; else cur += ch; continue; }
    if (ch === '"' || ch === "'") { quote = ch; inWord = true; continue; }
    if (/\s/.test(ch)) { if (inWord) out.push(cur); cur = ''; inWord = false; continue; }
    cur += ch;
    inWord = true;
  }
  if (quote) throw new InvalidArgumentError(`unmatched quote in: ${s}`);
  if (inWord) out.push(cur);
  return out;
}

/** `k=v k2="v 2"`, or the legacy single `KEY value with spaces` (ENV only). */
function pairs(rest: string, what: string, legacy: boolean): [string, string][] {
  const ws = words(rest);
  if (ws.length === 0) throw new InvalidArgumentError(`${what} requires at least one argument`);
  if (legacy && !ws[0]!.includes('=')) {
    const value = rest.slice(rest.indexOf(ws[0]!) + ws[0]!.length).trim();
    return [[ws[0]!, words(value).join(' ')]];
  }
  return ws.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`${what} names can not be blank and need a value: ${w}`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

function setEnv(env: string[], kv: [string, string][]): string[] {
  const out = [...env];
  for (const [k, v] of kv) {
    const i = out.findIndex((e) => e.split('=')[0] === k);
    if (i >= 0) out[i] = `${k}=${v}`; else out.push(`${k}=${v}`);
  }
  return out;
}

/** `80`, `80/udp`, `8000-8002/tcp` → `80/tcp`…, as nat.ParsePortSpecs does. */
function ports(spec: string): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(spec);
  if (!m) throw new InvalidArgumentError(`invalid containerPort: ${spec}`);
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : start;
  if (start < 1 || end > 65535 || end < start) throw new InvalidArgumentError(`invalid containerPort: ${spec}`);
  const proto = (m[3] ?? 'tcp').toLowerCase();
  return Array.from({ length: end - start + 1 }, (_, i) => `${start + i}/${proto}`);
}

function volumes(rest: string): string[] {
  const list = jsonArray(rest) ?? words(rest);
  if (list.length === 0 || list.some((v) => v.trim() === '')) throw new InvalidArgumentError('VOLUME specified can not be an empty string');
  return list;
}

function onbuild(rest: string): string {
  const trigger = (rest.split(/\s/)[0] ?? '').toUpperCase();
  if (!trigger) throw new InvalidArgumentError('ONBUILD requires at least one argument');
  if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(trigger)) throw new InvalidArgumentError(`${trigger} isn't allowed as an ONBUILD trigger`);
  return rest;
}

function healthcheck(rest: string, change: string): NonNullable<ContainerConfig['Healthcheck']> {
  if (/^none$/i.test(rest)) return { Test: ['NONE'] };
  const hc: NonNullable<ContainerConfig['Healthcheck']> = {};
  let s = rest;
  for (let m = /^--([a-z-]+)=(\S+)\s*/.exec(s); m; m = /^--([a-z-]+)=(\S+)\s*/.exec(s)) {
    const [all, flag, value] = m as unknown as [string, string, string];
    s = s.slice(all.length);
    if (flag === 'retries') {
      if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`HEALTHCHECK --retries: invalid value ${value}`);
      hc.Retries = Number(value);
      continue;
    }
    const key = ({ interval: 'Interval', timeout: 'Timeout', 'start-period': 'StartPeriod', 'start-interval': 'StartInterval' } as const)[flag as 'interval'];
    const ns = parseGoDuration(value);
    if (!key || ns === undefined || ns < 0) throw new InvalidArgumentError(`HEALTHCHECK: invalid option --${flag}=${value}`);
    hc[key] = ns;
  }
  const cm = /^cmd\s+(.*)$/is.exec(s.trim());
  if (!cm) throw new InvalidArgumentError(`HEALTHCHECK requires NONE or CMD: ${change}`);
  const exec = jsonArray(cm[1]!.trim());
  hc.Test = exec ? ['CMD', ...exec] : ['CMD-SHELL', cm[1]!.trim()];
  return hc;
}
