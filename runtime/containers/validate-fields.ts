import { isIP } from 'node:net';
import { posix } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';
import type { ContainerConfig, HostConfig } from './types.ts';

/*
 * The checks Docker makes at create (and update) that Wharf otherwise left to runc or to the
 * port publisher at start: numbers that fit what the kernel takes, ports and ranges, host
 * addresses, env names and mount destinations. Each refusal names the field, before anything
 * is stored.
 */

function bad(field: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError(`${field}: ${message}`, { field });
}

/** Integers a JSON number can carry exactly (int64 beyond 2^53 is not representable here anyway). */
function integer(field: string, v: unknown, min: number): void {
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(field, `must be an integer, got ${JSON.stringify(v)}`);
  if (v < min) throw bad(field, `must be at least ${min}, got ${v}`);
}

/** The numeric resources of HostConfig (create) or of an update body, each a fitting integer. */
export function validateResourceNumbers(h: Record<string, unknown>, prefix: string): void {
  for (const k of ['Memory', 'MemoryReservation', 'NanoCpus', 'CpuShares', 'CpuPeriod', 'ShmSize', 'BlkioWeight']) integer(`${prefix}${k}`, h[k], 0);
  // -1: unlimited swap / no quota / no pids limit, as Docker reads them.
  for (const k of ['MemorySwap', 'CpuQuota', 'PidsLimit']) integer(`${prefix}${k}`, h[k], -1);
  integer(`${prefix}OomScoreAdj`, h.OomScoreAdj, -1000);
  if (typeof h.OomScoreAdj === 'number' && h.OomScoreAdj > 1000) throw bad(`${prefix}OomScoreAdj`, 'must be between -1000 and 1000');
  const mem = typeof h.Memory === 'number' ? h.Memory : 0;
  const swap = typeof h.MemorySwap === 'number' ? h.MemorySwap : 0;
  if (mem > 0 && swap > 0 && swap < mem) throw bad(`${prefix}MemorySwap`, 'Minimum memoryswap limit should be larger than memory limit, see usage');
}

/** `80`, `80/tcp`, `8000-8010/udp`: Docker's nat.ParsePortSpec for a container port. */
function portRange(field: string, spec: string, allowEmpty: boolean): void {
  if (spec === '' && allowEmpty) return;
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(spec);
  if (!m) throw bad(field, `invalid port "${spec}": must be a number from 1 to 65535 or a range low-high`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < 1 || hi > 65535 || lo > 65535) throw bad(field, `invalid port "${spec}": must be from 1 to 65535`);
  if (hi < lo) throw bad(field, `invalid port range "${spec}": the end is below the start`);
}

function containerPort(field: string, key: string): void {
  const [port = '', proto = 'tcp', ...rest] = key.split('/');
  if (rest.length > 0 || !['tcp', 'udp', 'sctp'].includes(proto)) throw bad(field, `invalid protocol in "${key}": use tcp, udp or sctp`);
  portRange(field, port, false);
}

/** ExposedPorts and PortBindings: ports and ranges, host ports as numbers, host addresses as IP addresses. */
export function validatePorts(exposed: Record<string, unknown> | undefined, bindings: HostConfig['PortBindings']): void {
  for (const key of Object.keys(exposed ?? {})) containerPort(`Config.ExposedPorts["${key}"]`, key);
  for (const [key, list] of Object.entries(bindings ?? {})) {
    containerPort(`HostConfig.PortBindings["${key}"]`, key);
    for (const [i, b] of (list ?? []).entries()) {
      const field = `HostConfig.PortBindings["${key}"][${i}]`;
      if (b === null || typeof b !== 'object') throw bad(field, 'must be an object with HostIp and HostPort');
      if (b.HostPort !== undefined && typeof b.HostPort !== 'string') throw bad(`${field}.HostPort`, 'must be a string');
      portRange(`${field}.HostPort`, b.HostPort ?? '', true);
      if (b.HostIp !== undefined && typeof b.HostIp !== 'string') throw bad(`${field}.HostIp`, 'must be a string');
      const ip = (b.HostIp ?? '').replace(/^\[(.*)\]$/, '$1');
      if (ip !== '' && isIP(ip) === 0) throw bad(`${field}.HostIp`, `"${b.HostIp}" is not an IP address`);
    }
  }
}

/** `NAME=value` or `NAME`: a name is required, and NUL cannot reach a process's environment. */
export function validateEnv(env: readonly unknown[] | null | undefined, field = 'Config.Env'): void {
  for (const [i, e] of (env ?? []).entries()) {
    if (typeof e !== 'string') throw bad(`${field}[${i}]`, 'must be a string');
    if (e.includes('\0')) throw bad(`${field}[${i}]`, 'must not contain NUL');
    const name = e.split('=', 1)[0]!;
    if (name === '') throw bad(`${field}[${i}]`, `invalid environment variable "${e}": the name is empty`);
  }
}

function absolute(field: string, path: unknown): void {
  if (typeof path !== 'string' || !posix.isAbsolute(path)) throw bad(field, `invalid mount path ${JSON.stringify(path)}: mount path must be absolute`);
  if (path.includes('\0')) throw bad(field, 'must not contain NUL');
}

/** Mount destinations in Binds (`src:dest[:mode]`), Mounts, Tmpfs and Volumes are absolute container paths. */
export function validateDestinations(c: Partial<ContainerConfig>, h: HostConfig): void {
  for (const [i, b] of (h.Binds ?? []).entries()) {
    const parts = typeof b === 'string' ? b.split(':') : [];
    if (parts.length < 2 || parts.length > 3) throw bad(`HostConfig.Binds[${i}]`, `invalid volume specification ${JSON.stringify(b)}`);
    absolute(`HostConfig.Binds[${i}]`, parts[1]);
  }
  for (const [i, m] of (h.Mounts ?? []).entries()) absolute(`HostConfig.Mounts[${i}].Target`, m?.Target);
  for (const dest of Object.keys(h.Tmpfs ?? {})) absolute(`HostConfig.Tmpfs["${dest}"]`, dest);
  for (const dest of Object.keys(c.Volumes ?? {})) absolute(`Config.Volumes["${dest}"]`, dest);
}

/** Every create-time field check above; called first, so a refusal leaves nothing behind. */
export function validateCreateFields(c: Partial<ContainerConfig>, h: HostConfig): void {
  validateResourceNumbers(h as Record<string, unknown>, 'HostConfig.');
  validatePorts(c.ExposedPorts, h.PortBindings);
  validateEnv(c.Env);
  validateDestinations(c, h);
}
