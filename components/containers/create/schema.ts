import { z } from 'zod';
import { REFERENCE } from '../../images/reference.ts';
import { shellWords } from './shell-words.ts';
import { isIP, isIPv6, ipv4 } from '../../networks/ip.ts';
import { badAlias } from '../../networks/aliases.ts';
import { parseRange, portProblem, rangeSize } from './port-range.ts';

export const RESTART_POLICIES = ['no', 'always', 'unless-stopped', 'on-failure'] as const;

export interface KeyValueRow { key: string; value: string }
export interface PortRow { hostIp: string; host: string; container: string; protocol: 'tcp' | 'udp' }
export interface VolumeRow { type: 'volume' | 'bind' | 'tmpfs'; source: string; target: string; readOnly: boolean }

/** What the form edits: strings as typed, converted to the Docker body only when valid. */
export interface CreateValues {
  image: string;
  name: string;
  alwaysPull: boolean;
  cmd: string;
  entrypoint: string;
  workingDir: string;
  user: string;
  env: KeyValueRow[];
  labels: KeyValueRow[];
  ports: PortRow[];
  publishAll: boolean;
  volumes: VolumeRow[];
  network: string;
  /** On a user network: a fixed address and aliases for this container's endpoint. */
  networkIp: string;
  aliases: string;
  hostname: string;
  /** Space- or comma-separated lists, as `--dns`, `--dns-search` and `--add-host` take them. */
  dns: string;
  dnsSearch: string;
  extraHosts: string;
  restart: (typeof RESTART_POLICIES)[number];
  maxRetries: string;
  memory: string;
  reservation: string;
  swap: string;
  cpus: string;
  cpuShares: string;
  cpuset: string;
  pids: string;
  autoRemove: boolean;
  tty: boolean;
  interactive: boolean;
  start: boolean;
}

export const emptyValues = (): CreateValues => ({
  image: '', name: '', alwaysPull: false, cmd: '', entrypoint: '', workingDir: '', user: '',
  env: [], labels: [], ports: [], publishAll: false, volumes: [], network: 'bridge', networkIp: '', aliases: '', hostname: '', dns: '', dnsSearch: '', extraHosts: '',
  restart: 'no', maxRetries: '', memory: '', reservation: '', swap: '', cpus: '', cpuShares: '', cpuset: '', pids: '',
  autoRemove: false, tty: false, interactive: false, start: true,
});

const number = (v: string) => Number(v.trim());
const isDecimal = (v: string) => v.trim() === '' || (/^\d*\.?\d+$/.test(v.trim()));
const isInteger = (v: string) => v.trim() === '' || /^-?\d+$/.test(v.trim());
/** Entries of a list typed with spaces or commas. */
export const listOf = (v: string): string[] => v.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);
const HOSTNAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
/** `name:ip` as `--add-host` takes it; the address may be IPv6 (split at the first colon) or `host-gateway`. */
const extraHost = (entry: string) => {
  const at = entry.indexOf(':');
  const [name, ip] = [entry.slice(0, at), entry.slice(at + 1)];
  return at > 0 && HOSTNAME.test(name) && (isIP(ip) || ip === 'host-gateway');
};
const words = (v: string) => {
  try {
    shellWords(v);
    return true;
  } catch {
    return false;
  }
};

const keyValue = (what: string) => z.object({
  key: z.string().trim().min(1, `the ${what} needs a name`).refine((k) => !k.includes('='), `a ${what} name cannot contain "="`),
  value: z.string(),
});

/** Every rule here names the field it is about, so the message is shown right at that field. */
export const createSchema = z.object({
  image: z.string().trim().min(1, 'the image is required').refine((v) => REFERENCE.test(v), 'not an image reference, e.g. nginx:1.27 or registry:5000/team/app'),
  name: z.string().trim().refine((v) => v === '' || /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(v), 'names are 2+ characters of a-z A-Z 0-9 _ . - and start with a letter or digit'),
  alwaysPull: z.boolean(),
  cmd: z.string().refine(words, 'unbalanced quotes or an invalid JSON array'),
  entrypoint: z.string().refine(words, 'unbalanced quotes or an invalid JSON array'),
  workingDir: z.string().trim().refine((v) => v === '' || v.startsWith('/'), 'the working directory must be an absolute path'),
  user: z.string().trim().refine((v) => v === '' || /^[\w.-]+(:[\w.-]+)?$/.test(v), 'user, uid, user:group or uid:gid'),
  env: z.array(keyValue('variable').extend({
    key: z.string().trim().min(1, 'the variable needs a name').regex(/^[^=\s]+$/, 'a variable name cannot contain "=" or spaces'),
  })),
  labels: z.array(keyValue('label')),
  ports: z.array(z.object({
    hostIp: z.string().trim().refine((v) => v === '' || isIP(v), 'an IPv4 or IPv6 address, e.g. 127.0.0.1 (empty for all)'),
    host: z.string().trim(),
    container: z.string().trim(),
    protocol: z.enum(['tcp', 'udp']),
  }).superRefine((p, ctx) => {
    const host = portProblem(p.host, false);
    if (host) ctx.addIssue({ code: 'custom', path: ['host'], message: host === 'a port from 1 to 65535 or a range like 8000-8010' ? `${host}, or empty for a random one` : host });
    const container = portProblem(p.container, true);
    if (container) ctx.addIssue({ code: 'custom', path: ['container'], message: container });
    const [h, c] = [parseRange(p.host), parseRange(p.container)];
    if (h && c && rangeSize(c) > 1 && rangeSize(h) !== rangeSize(c)) {
      ctx.addIssue({ code: 'custom', path: ['host'], message: `a range of ${rangeSize(c)} ports, as many as the container ports` });
    }
  })),
  publishAll: z.boolean(),
  volumes: z.array(z.object({
    type: z.enum(['volume', 'bind', 'tmpfs']),
    source: z.string().trim(),
    target: z.string().trim().min(1, 'where to mount it in the container').refine((v) => v.startsWith('/'), 'the container path must be absolute'),
    readOnly: z.boolean(),
  }).superRefine((v, ctx) => {
    if (v.type === 'bind' && !v.source.startsWith('/')) ctx.addIssue({ code: 'custom', path: ['source'], message: 'the host path must be absolute' });
    if (v.type === 'volume' && v.source !== '' && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(v.source)) {
      ctx.addIssue({ code: 'custom', path: ['source'], message: 'a volume name: a-z A-Z 0-9 _ . - (empty for an anonymous volume)' });
    }
  })),
  network: z.string().min(1, 'choose a network'),
  networkIp: z.string().trim().refine((v) => v === '' || isIP(v), 'an IPv4 or IPv6 address, or empty for the next free one'),
  aliases: z.string().refine((v) => !badAlias(v), 'names of letters, digits, . _ - separated by spaces or commas'),
  dns: z.string().refine((v) => listOf(v).every(isIP), 'IP addresses of name servers, separated by spaces or commas'),
  dnsSearch: z.string().refine((v) => listOf(v).every((d) => HOSTNAME.test(d) || d === '.'), 'domain names, separated by spaces or commas'),
  extraHosts: z.string().refine((v) => listOf(v).every(extraHost), 'name:address entries, e.g. db:10.0.0.5 or gw:host-gateway'),
  hostname: z.string().trim().refine((v) => v === '' || /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(v), 'a host name: letters, digits, - and .'),
  restart: z.enum(RESTART_POLICIES),
  maxRetries: z.string().refine((v) => v.trim() === '' || (/^\d+$/.test(v.trim())), 'a whole number of retries'),
  memory: z.string().refine(isDecimal, 'a number of MB').refine((v) => v.trim() === '' || number(v) === 0 || number(v) >= 6, 'the smallest memory limit is 6 MB'),
  reservation: z.string().refine(isDecimal, 'a number of MB'),
  swap: z.string().refine((v) => v.trim() === '-1' || isDecimal(v), 'a number of MB, or -1 for unlimited swap'),
  cpus: z.string().refine(isDecimal, 'a decimal number of CPUs, e.g. 0.5').refine((v) => v.trim() === '' || number(v) > 0, 'more than 0'),
  cpuShares: z.string().refine(isInteger, 'a whole number').refine((v) => v.trim() === '' || number(v) >= 2, 'at least 2 (the default is 1024)'),
  cpuset: z.string().trim().refine((v) => v === '' || /^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(v), 'CPU numbers and ranges, e.g. 0-2,4'),
  pids: z.string().refine(isInteger, 'a whole number, or -1 for unlimited'),
  autoRemove: z.boolean(),
  tty: z.boolean(),
  interactive: z.boolean(),
  start: z.boolean(),
}).superRefine((v, ctx) => {
  const mem = number(v.memory || '0');
  if (v.reservation.trim() && mem > 0 && number(v.reservation) > mem) {
    ctx.addIssue({ code: 'custom', path: ['reservation'], message: 'the reservation must not exceed the memory limit' });
  }
  if (v.swap.trim() && v.swap.trim() !== '-1') {
    if (!(mem > 0)) ctx.addIssue({ code: 'custom', path: ['swap'], message: 'set a memory limit to limit swap' });
    else if (number(v.swap) < mem) ctx.addIssue({ code: 'custom', path: ['swap'], message: 'memory + swap cannot be less than the memory limit' });
  }
  if (v.autoRemove && v.restart !== 'no') {
    ctx.addIssue({ code: 'custom', path: ['autoRemove'], message: 'auto-remove cannot be combined with a restart policy' });
  }
  if (v.restart !== 'on-failure' && v.maxRetries.trim() !== '' && number(v.maxRetries) > 0) {
    ctx.addIssue({ code: 'custom', path: ['maxRetries'], message: 'maximum retries only apply to on-failure' });
  }
  if ((v.network === 'host' || v.network === 'none') && v.ports.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['network'], message: `ports cannot be published with network ${v.network}` });
  }
  // Docker refuses a fixed address or aliases on the default bridge and on host/none: say so at the field.
  const userNetwork = !['bridge', 'host', 'none', 'default'].includes(v.network) && !v.network.startsWith('container:');
  if (!userNetwork && v.networkIp.trim()) ctx.addIssue({ code: 'custom', path: ['networkIp'], message: 'a fixed address needs a user-defined network' });
  if (!userNetwork && v.aliases.trim()) ctx.addIssue({ code: 'custom', path: ['aliases'], message: 'aliases need a user-defined network' });
  const ip = v.networkIp.trim();
  if (ip && ipv4(ip) === undefined && !isIPv6(ip)) ctx.addIssue({ code: 'custom', path: ['networkIp'], message: 'not an IP address' });
  if ((v.network === 'host' || v.network.startsWith('container:')) && (v.dns.trim() || v.extraHosts.trim() || v.dnsSearch.trim())) {
    ctx.addIssue({ code: 'custom', path: ['dns'], message: `DNS settings come from the ${v.network === 'host' ? 'host' : 'other container'} with this network mode` });
  }
  // Host ports taken twice (a range counts for each of its ports) on the same address and protocol.
  const taken = new Map<string, number>();
  v.ports.forEach((p, i) => {
    const range = parseRange(p.host);
    if (!range) return;
    for (let port = range.start; port <= range.end; port++) {
      const key = `${p.hostIp.trim()}:${port}/${p.protocol}`;
      if (taken.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['ports', i, 'host'], message: `host port ${port} is already used above` });
        return;
      }
      taken.set(key, i);
    }
  });
  const targets = new Set<string>();
  v.volumes.forEach((m, i) => {
    if (targets.has(m.target)) ctx.addIssue({ code: 'custom', path: ['volumes', i, 'target'], message: 'another mount uses this path' });
    targets.add(m.target);
  });
});
