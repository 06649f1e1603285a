import type { ContainerConfig, ContainerInspect, HostConfig } from '../../api/docker-types.ts';
import type { EndpointSettingsFull, NetworkHostConfig, NetworkingConfig } from '../../networks/types.ts';
import { ipv4 } from '../../networks/ip.ts';
import { splitAliases } from '../../networks/aliases.ts';
import { parseRange, rangeSize } from './port-range.ts';
import { emptyValues, listOf, type CreateValues } from './schema.ts';
import { joinWords, shellWords } from './shell-words.ts';

const MiB = 1024 * 1024;
const mbToBytes = (v: string) => Math.round(Number(v.trim()) * MiB);
const bytesToMb = (b: number | undefined) => (b && b > 0 ? String(Math.round((b / MiB) * 100) / 100) : '');

export interface CreateRequest {
  name?: string;
  body: ContainerConfig & { HostConfig: HostConfig & NetworkHostConfig; Volumes?: Record<string, object>; NetworkingConfig?: NetworkingConfig };
  /** Docker request paths (as a server names them in a 400) → form fields. */
  fieldMap: Record<string, string>;
}

/** The POST /containers/create body for valid form values. */
export function toCreateRequest(v: CreateValues): CreateRequest {
  const fieldMap: Record<string, string> = {
    Image: 'image', name: 'name', Cmd: 'cmd', Entrypoint: 'entrypoint', WorkingDir: 'workingDir', User: 'user',
    Env: 'env', Labels: 'labels', Hostname: 'hostname', ExposedPorts: 'ports', 'HostConfig.PortBindings': 'ports',
    'HostConfig.NetworkMode': 'network', 'HostConfig.RestartPolicy': 'restart', 'HostConfig.AutoRemove': 'autoRemove',
    'HostConfig.Memory': 'memory', 'HostConfig.MemoryReservation': 'reservation', 'HostConfig.MemorySwap': 'swap',
    'HostConfig.NanoCpus': 'cpus', 'HostConfig.CpuShares': 'cpuShares', 'HostConfig.CpusetCpus': 'cpuset', 'HostConfig.PidsLimit': 'pids',
    'HostConfig.Binds': 'volumes', 'HostConfig.Mounts': 'volumes', 'HostConfig.Tmpfs': 'volumes',
    'HostConfig.Dns': 'dns', 'HostConfig.DnsSearch': 'dnsSearch', 'HostConfig.ExtraHosts': 'extraHosts',
    NetworkingConfig: 'network', [`NetworkingConfig.EndpointsConfig.${v.network}.IPAMConfig`]: 'networkIp',
    [`NetworkingConfig.EndpointsConfig.${v.network}.Aliases`]: 'aliases',
  };
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of v.ports) {
    // A container range maps port by port onto an equal host range (the schema checked the sizes), as `-p` does.
    const c = parseRange(p.container)!;
    const h = parseRange(p.host);
    for (let port = c.start; port <= c.end; port++) {
      const key = `${port}/${p.protocol}`;
      const hostPort = !h ? '' : rangeSize(c) > 1 ? String(h.start + port - c.start) : p.host.trim();
      exposed[key] = {};
      (bindings[key] ??= []).push({ HostIp: p.hostIp.trim(), HostPort: hostPort });
    }
  }
  const aliases = splitAliases(v.aliases);
  const fixedIp = v.networkIp.trim();
  const endpoint: EndpointSettingsFull = {
    ...(aliases.length ? { Aliases: aliases } : {}),
    ...(fixedIp ? { IPAMConfig: ipv4(fixedIp) !== undefined ? { IPv4Address: fixedIp } : { IPv6Address: fixedIp } } : {}),
  };
  const binds: string[] = [];
  const tmpfs: Record<string, string> = {};
  const anonymous: Record<string, object> = {};
  v.volumes.forEach((m, row) => {
    const target = m.target.trim();
    if (m.type === 'tmpfs') {
      tmpfs[target] = m.readOnly ? 'ro' : '';
      fieldMap[`HostConfig.Tmpfs.${target}`] = `volumes.${row}.target`;
    } else if (m.type === 'volume' && m.source.trim() === '') {
      anonymous[target] = {};
    } else {
      fieldMap[`HostConfig.Binds[${binds.length}]`] = `volumes.${row}.source`;
      binds.push(`${m.source.trim()}:${target}${m.readOnly ? ':ro' : ''}`);
    }
  });
  const restart = v.restart === 'no' ? { Name: 'no' as const } : v.restart === 'on-failure'
    ? { Name: 'on-failure' as const, MaximumRetryCount: Number(v.maxRetries.trim() || 0) }
    : { Name: v.restart };
  const host: HostConfig & NetworkHostConfig = {
    NetworkMode: v.network,
    Dns: listOf(v.dns).length ? listOf(v.dns) : undefined,
    DnsSearch: listOf(v.dnsSearch).length ? listOf(v.dnsSearch) : undefined,
    ExtraHosts: listOf(v.extraHosts).length ? listOf(v.extraHosts) : undefined,
    PortBindings: v.ports.length ? bindings : undefined,
    PublishAllPorts: v.publishAll || undefined,
    Binds: binds.length ? binds : undefined,
    Tmpfs: Object.keys(tmpfs).length ? tmpfs : undefined,
    RestartPolicy: restart,
    AutoRemove: v.autoRemove || undefined,
    Memory: v.memory.trim() ? mbToBytes(v.memory) : undefined,
    MemoryReservation: v.reservation.trim() ? mbToBytes(v.reservation) : undefined,
    MemorySwap: v.swap.trim() === '-1' ? -1 : v.swap.trim() ? mbToBytes(v.swap) : undefined,
    NanoCpus: v.cpus.trim() ? Math.round(Number(v.cpus.trim()) * 1e9) : undefined,
    CpuShares: v.cpuShares.trim() ? Number(v.cpuShares.trim()) : undefined,
    CpusetCpus: v.cpuset.trim() || undefined,
    PidsLimit: v.pids.trim() ? Number(v.pids.trim()) : undefined,
  };
  const cmd = shellWords(v.cmd);
  const entrypoint = shellWords(v.entrypoint);
  const body: CreateRequest['body'] = {
    Image: v.image.trim(),
    Cmd: cmd.length ? cmd : undefined,
    Entrypoint: entrypoint.length ? entrypoint : undefined,
    WorkingDir: v.workingDir.trim() || undefined,
    User: v.user.trim() || undefined,
    Hostname: v.hostname.trim() || undefined,
    Env: v.env.length ? v.env.map((e) => `${e.key.trim()}=${e.value}`) : undefined,
    Labels: v.labels.length ? Object.fromEntries(v.labels.map((l) => [l.key.trim(), l.value])) : undefined,
    ExposedPorts: v.ports.length ? exposed : undefined,
    Volumes: Object.keys(anonymous).length ? anonymous : undefined,
    Tty: v.tty,
    OpenStdin: v.interactive,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: host,
    NetworkingConfig: Object.keys(endpoint).length ? { EndpointsConfig: { [v.network]: endpoint } } : undefined,
  };
  v.env.forEach((_e, i) => { fieldMap[`Env[${i}]`] = `env.${i}.key`; });
  v.ports.forEach((_p, i) => { fieldMap[`HostConfig.PortBindings[${i}]`] = `ports.${i}.host`; });
  return { name: v.name.trim() || undefined, body, fieldMap };
}

/**
 * Form values that recreate an existing container (duplicate / edit). Image defaults
 * (its Cmd, Env, ExposedPorts…) are copied too, which is what `docker inspect` reports.
 */
export function valuesFromInspect(c: ContainerInspect): CreateValues {
  const h = c.HostConfig;
  const v = emptyValues();
  v.image = c.Config.Image ?? c.Image;
  v.name = c.Name.replace(/^\//, '');
  v.cmd = joinWords(c.Config.Cmd);
  v.entrypoint = joinWords(c.Config.Entrypoint);
  v.workingDir = c.Config.WorkingDir ?? '';
  v.user = c.Config.User ?? '';
  v.env = (c.Config.Env ?? []).map((e) => {
    const at = e.indexOf('=');
    return at < 0 ? { key: e, value: '' } : { key: e.slice(0, at), value: e.slice(at + 1) };
  });
  v.labels = Object.entries(c.Config.Labels ?? {}).map(([key, value]) => ({ key, value }));
  v.ports = Object.entries(h.PortBindings ?? {}).flatMap(([key, list]) => {
    const [containerPort, protocol] = key.split('/');
    return (list ?? [{}]).map((b) => ({ hostIp: b.HostIp ?? '', host: b.HostPort ?? '', container: containerPort ?? '', protocol: protocol === 'udp' ? 'udp' as const : 'tcp' as const }));
  });
  v.publishAll = Boolean(h.PublishAllPorts);
  v.volumes = [
    ...(h.Binds ?? []).map((b) => {
      const [source = '', target = '', mode = ''] = b.split(':');
      return { type: source.startsWith('/') ? 'bind' as const : 'volume' as const, source, target, readOnly: mode.split(',').includes('ro') };
    }),
    // The form edits the mount kinds Linux engines have; npipe and cluster mounts are not shown.
    ...(h.Mounts ?? []).flatMap((m) => (m.Type === 'bind' || m.Type === 'volume' || m.Type === 'tmpfs') && m.Target
      ? [{ type: m.Type, source: m.Source ?? '', target: m.Target, readOnly: Boolean(m.ReadOnly) }]
      : []),
    ...Object.entries(h.Tmpfs ?? {}).map(([target, opts]) => ({ type: 'tmpfs' as const, source: '', target, readOnly: opts.split(',').includes('ro') })),
  ];
  v.network = h.NetworkMode && h.NetworkMode !== 'default' ? h.NetworkMode : 'bridge';
  const net = h as NetworkHostConfig;
  v.dns = (net.Dns ?? []).join(' ');
  v.dnsSearch = (net.DnsSearch ?? []).join(' ');
  v.extraHosts = (net.ExtraHosts ?? []).join(' ');
  const endpoint = (c.NetworkSettings.Networks as Record<string, EndpointSettingsFull> | undefined)?.[v.network];
  v.networkIp = endpoint?.IPAMConfig?.IPv4Address || endpoint?.IPAMConfig?.IPv6Address || '';
  // Docker adds the short id as an alias on user networks; it belongs to the old container, not the copy.
  v.aliases = (endpoint?.Aliases ?? []).filter((a) => !c.Id.startsWith(a)).join(' ');
  v.hostname = c.Config.Hostname && !c.Id.startsWith(c.Config.Hostname) ? c.Config.Hostname : '';
  const policy = h.RestartPolicy?.Name;
  v.restart = policy === 'always' || policy === 'unless-stopped' || policy === 'on-failure' ? policy : 'no';
  v.maxRetries = policy === 'on-failure' && h.RestartPolicy?.MaximumRetryCount ? String(h.RestartPolicy.MaximumRetryCount) : '';
  v.memory = bytesToMb(h.Memory);
  v.reservation = bytesToMb(h.MemoryReservation);
  v.swap = h.MemorySwap === -1 ? '-1' : bytesToMb(h.MemorySwap);
  v.cpus = h.NanoCpus ? String(h.NanoCpus / 1e9) : '';
  v.cpuShares = h.CpuShares ? String(h.CpuShares) : '';
  v.cpuset = h.CpusetCpus ?? '';
  v.pids = h.PidsLimit && h.PidsLimit > 0 ? String(h.PidsLimit) : '';
  v.autoRemove = Boolean(h.AutoRemove);
  v.tty = Boolean(c.Config.Tty);
  v.interactive = Boolean(c.Config.OpenStdin);
  return v;
}

/**
 * Where a server's error belongs in the form: its `field` through the map built with the
 * request, else words in the message that engines without `field` use (dockerd).
 */
export function fieldOfError(fieldMap: Record<string, string>, field: string | undefined, message: string, values: CreateValues): string | undefined {
  if (field) {
    if (fieldMap[field]) return fieldMap[field];
    const prefix = Object.keys(fieldMap).filter((k) => field.startsWith(k)).sort((a, b) => b.length - a.length)[0];
    if (prefix) return fieldMap[prefix];
  }
  if (/container name .* already in use|invalid container name/i.test(message)) return 'name';
  if (/no such image|pull access denied|manifest unknown|repository does not exist/i.test(message)) return 'image';
  const path = /(?:bind source path does not exist|invalid mount config.*?):?\s*(\/\S*)/i.exec(message)?.[1];
  if (path) {
    const row = values.volumes.findIndex((m) => m.source.trim() === path);
    if (row >= 0) return `volumes.${row}.source`;
  }
  const port = /(?:port is already allocated|address already in use).*?:(\d+)/i.exec(message)?.[1]
    ?? /Bind for [\d.:[\]]*:(\d+) failed/i.exec(message)?.[1];
  if (port) {
    const row = values.ports.findIndex((p) => p.host.trim() === port);
    if (row >= 0) return `ports.${row}.host`;
  }
  if (/minimum memory limit|memory limit/i.test(message)) return 'memory';
  if (/network .* not found/i.test(message)) return 'network';
  if (/user specified IP address|address .* (in use|unavailable|not in)|no available IPv4/i.test(message)) return values.networkIp.trim() ? 'networkIp' : 'network';
  if (/alias/i.test(message)) return 'aliases';
  if (/dns/i.test(message)) return 'dns';
  if (/extra ?host|invalid IP address in add-host/i.test(message)) return 'extraHosts';
  if (/NanoCPUs|range of CPUs/i.test(message)) return 'cpus';
  return undefined;
}
