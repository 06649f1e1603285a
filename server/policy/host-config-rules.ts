import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS } from '../../runtime/index.ts';
import type { PolicyLookup } from './lookup.ts';
import { violation, type Violation } from './violation.ts';

type HostConfigLike = Record<string, unknown>;

/** A named volume; anything else on the left of a bind spec (absolute, relative, `~`) is a host path. */
const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const NAMESPACES = ['NetworkMode', 'PidMode', 'IpcMode', 'UTSMode', 'UsernsMode', 'CgroupnsMode'] as const;
/** Namespaces that can be borrowed from another container (`container:<name>`). */
const SHARED = ['NetworkMode', 'PidMode', 'IpcMode'] as const;
const HOST_DRIVERS = new Set(['host', 'macvlan', 'ipvlan']);
/** The only security option that tightens rather than loosens. */
const HARMLESS_SECURITY_OPT = /^no-new-privileges([=:]true)?$/;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const nonEmpty = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : !!v && typeof v === 'object' && Object.keys(v).length > 0);

/** Local-driver options that mount a host path or device rather than a fresh directory or a tmpfs. */
export function volumeOptionsReachHost(opts: Record<string, string> | null | undefined): boolean {
  if (!opts || Object.keys(opts).length === 0) return false;
  const o = (opts.o ?? '').split(',').map((x) => x.trim());
  if (o.includes('bind') || o.includes('rbind')) return true;
  return opts.type !== 'tmpfs' && !!opts.device;
}

/** A volume named by a container: its driver options (a volume created with `device=/etc` is a bind mount). */
async function namedVolume(lookup: PolicyLookup, name: string, field: string): Promise<Violation[]> {
  return volumeOptionsReachHost(await lookup.volumeOptions(name)) ? [violation('bindMounts', field, 'a volume that mounts a host path')] : [];
}

async function mounts(h: HostConfigLike, p: string, lookup: PolicyLookup): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const [i, bind] of list(h.Binds).entries()) {
    const source = String(bind).split(':')[0]!;
    const field = `${p}Binds[${i}]`;
    // Without a colon the entry names only a path in the container: an anonymous volume.
    if (!String(bind).includes(':')) continue;
    if (!VOLUME_NAME.test(source)) out.push(violation('bindMounts', field, 'bind mounts'));
    else out.push(...await namedVolume(lookup, source, field));
  }
  for (const [i, raw] of list(h.Mounts).entries()) {
    const m = (raw ?? {}) as { Type?: unknown; Source?: unknown; VolumeOptions?: { DriverConfig?: { Options?: unknown } | null } | null };
    const field = `${p}Mounts[${i}]`;
    if (m.Type === 'tmpfs') continue;
    if (m.Type !== 'volume') { out.push(violation('bindMounts', field, 'bind mounts')); continue; }
    const source = typeof m.Source === 'string' ? m.Source : '';
    if (source && !VOLUME_NAME.test(source)) out.push(violation('bindMounts', `${field}.Source`, 'bind mounts'));
    else if (source) out.push(...await namedVolume(lookup, source, `${field}.Source`));
    if (nonEmpty(m.VolumeOptions?.DriverConfig?.Options)) out.push(violation('bindMounts', `${field}.VolumeOptions.DriverConfig`, 'volume driver options'));
  }
  for (const [i, from] of list(h.VolumesFrom).entries()) {
    const other = await lookup.container(String(from).split(':')[0]!);
    if (other && (await containerViolations(other.HostConfig, other.Mounts, lookup)).length > 0) {
      out.push(violation('bindMounts', `${p}VolumesFrom[${i}]`, 'the volumes of a container that reaches the host'));
    }
  }
  return out;
}

async function namespaces(h: HostConfigLike, p: string, lookup: PolicyLookup, seen: Set<string>): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const key of NAMESPACES) {
    const mode = typeof h[key] === 'string' ? (h[key] as string) : '';
    if (mode === 'host') out.push(violation('hostNamespaces', `${p}${key}`, `the host's namespaces`));
  }
  for (const key of SHARED) {
    const mode = typeof h[key] === 'string' ? (h[key] as string) : '';
    if (!mode.startsWith('container:')) continue;
    const other = await lookup.container(mode.slice('container:'.length));
    // A chain of `container:` modes is followed once per container.
    if (!other || seen.has(other.id)) continue;
    seen.add(other.id);
    if ((await namespaces(other.HostConfig, '', lookup, seen)).length > 0 || other.HostConfig.Privileged) {
      out.push(violation('hostNamespaces', `${p}${key}`, `the namespaces of a container that shares the host's`));
    }
  }
  const net = typeof h.NetworkMode === 'string' ? h.NetworkMode : '';
  if (net && net !== 'host' && !net.startsWith('container:') && HOST_DRIVERS.has(await lookup.networkDriver(net) ?? '')) {
    out.push(violation('hostNamespaces', `${p}NetworkMode`, `a network attached to the host's interfaces`));
  }
  if (h.CgroupParent) out.push(violation('hostNamespaces', `${p}CgroupParent`, 'a cgroup parent'));
  return out;
}

function lists(h: HostConfigLike, p: string): Violation[] {
  const out: Violation[] = [];
  if (h.Privileged === true) out.push(violation('privileged', `${p}Privileged`, 'privileged mode'));
  for (const key of ['Devices', 'DeviceCgroupRules', 'DeviceRequests']) if (nonEmpty(h[key])) out.push(violation('devices', `${p}${key}`, 'host devices'));
  if (nonEmpty(h.CapAdd)) out.push(violation('capabilities', `${p}CapAdd`, 'added capabilities'));
  if (nonEmpty(h.Sysctls)) out.push(violation('sysctls', `${p}Sysctls`, 'sysctls'));
  for (const [i, opt] of list(h.SecurityOpt).entries()) {
    if (!HARMLESS_SECURITY_OPT.test(String(opt))) out.push(violation('securityOptions', `${p}SecurityOpt[${i}]`, 'security options'));
  }
  // These replace the defaults that hide /proc and /sys paths from containers: all of those must stay.
  for (const [key, defaults] of [['MaskedPaths', DEFAULT_MASKED_PATHS], ['ReadonlyPaths', DEFAULT_READONLY_PATHS]] as const) {
    const paths = h[key];
    if (Array.isArray(paths) && defaults.some((d) => !paths.includes(d))) out.push(violation('securityOptions', `${p}${key}`, 'fewer masked or read-only paths'));
  }
  return out;
}

/**
 * Every way a container's configuration reaches the host, on the HostConfig the engine parsed
 * (its own keys, spelled as the engine reads them), looking up the containers, volumes and
 * networks it names on the engine that will run it.
 */
export async function hostConfigViolations(h: HostConfigLike, lookup: PolicyLookup, prefix = 'HostConfig.'): Promise<Violation[]> {
  return [...lists(h, prefix), ...await mounts(h, prefix, lookup), ...await namespaces(h, prefix, lookup, new Set())];
}

/** An existing container: its configuration, and what it actually mounts. */
export async function containerViolations(h: HostConfigLike, mounted: ReadonlyArray<{ Type: string; Name?: string }>, lookup: PolicyLookup): Promise<Violation[]> {
  // An engine that makes no cgroup namespace (Wharf, dockerd on cgroup v1) reports `host` for
  // every container: on an existing container it says nothing about what its creator asked for.
  const out = (await hostConfigViolations(h, lookup)).filter((v) => !v.field.endsWith('CgroupnsMode'));
  for (const [i, m] of mounted.entries()) {
    if (m.Type === 'bind') out.push(violation('bindMounts', `Mounts[${i}]`, 'bind mounts'));
    if (m.Type === 'volume' && m.Name) out.push(...await namedVolume(lookup, m.Name, `Mounts[${i}]`));
  }
  return out;
}
