import type { ContainerRecord, ContainerState, Engine } from '../../../runtime/index.ts';

export interface PortBindingView { HostIp: string; HostPort: string }

/** An EndpointSettings with nothing attached yet: addresses come with container networking. */
export function endpoint(): Record<string, unknown> {
  return {
    IPAMConfig: null, Links: null, Aliases: null, MacAddress: '', DriverOpts: null, NetworkID: '', EndpointID: '',
    Gateway: '', IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DNSNames: null,
  };
}

/** The network a container joins, by its NetworkMode (`default` is `bridge`; `container:x` joins none of its own). */
export function networkName(rec: ContainerRecord): string | undefined {
  const mode = rec.HostConfig.NetworkMode || 'bridge';
  if (mode.startsWith('container:')) return undefined;
  return mode === 'default' ? 'bridge' : mode;
}

/**
 * Endpoint ids of the running containers, `<network id>/<container id>` → id: one pass for a whole
 * listing. A listing passes the rows it holds; only running ones have endpoints.
 */
export function endpointIndex(engine: Engine, rows?: ReturnType<Engine['containers']['list']>): Map<string, string> {
  const out = new Map<string, string>();
  const running = rows?.filter((r) => r.state.Running);
  if (running?.length === 0) return out;
  for (const n of engine.networks.list()) {
    for (const [cid, ep] of Object.entries(engine.networks.endpoints(n, running))) out.set(`${n.Id}/${cid}`, ep.EndpointID);
  }
  return out;
}

/** The network record a NetworkMode names, if it exists. */
export function findNetwork(engine: Engine, name: string): { Id: string; Name: string } | undefined {
  try {
    return engine.networks.find(name);
  } catch {
    return undefined;
  }
}

/** NetworkSettings.Networks: the container's network by name, with its endpoint while running. */
export function networksView(engine: Engine, rec: ContainerRecord, state: ContainerState, index: Map<string, string>, found = new Map<string, ReturnType<typeof findNetwork>>()): Record<string, Record<string, unknown>> {
  const name = networkName(rec);
  if (!name) return {};
  if (!found.has(name)) found.set(name, findNetwork(engine, name));
  const net = found.get(name);
  const endpointId = state.Running && net ? index.get(`${net.Id}/${rec.Id}`) ?? '' : '';
  return { [net?.Name ?? name]: { ...endpoint(), NetworkID: net?.Id ?? '', EndpointID: endpointId } };
}

/**
 * NetworkSettings.Ports of a running container: each exposed port with its recorded host
 * bindings, or null when nothing is bound. Stopped containers publish nothing, as in dockerd.
 * Bindings without a host port (`-p 80`, `-P`) are allocated when publishing exists; until
 * then they are reported as unbound rather than with an invented port.
 */
export function portsView(rec: ContainerRecord, state: ContainerState): Record<string, PortBindingView[] | null> {
  if (!state.Running) return {};
  const out: Record<string, PortBindingView[] | null> = {};
  const bindings = rec.HostConfig.PortBindings ?? {};
  const keys = new Set([...Object.keys(rec.Config.ExposedPorts ?? {}), ...Object.keys(bindings)]);
  for (const key of [...keys].sort()) {
    const bound = (bindings[key] ?? []).filter((b) => b.HostPort);
    out[key] = bound.length ? bound.map((b) => ({ HostIp: b.HostIp || '0.0.0.0', HostPort: b.HostPort! })) : null;
  }
  return out;
}

/** The `Ports` list of `docker ps`, from the same map. */
export function portsSummary(rec: ContainerRecord, state: ContainerState): { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] {
  const out: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] = [];
  for (const [key, bindings] of Object.entries(portsView(rec, state))) {
    const [port, proto = 'tcp'] = key.split('/') as [string, string?];
    const privatePort = Number.parseInt(port, 10);
    if (!bindings) out.push({ PrivatePort: privatePort, Type: proto });
    else for (const b of bindings) out.push({ IP: b.HostIp, PrivatePort: privatePort, PublicPort: Number.parseInt(b.HostPort, 10), Type: proto });
  }
  return out;
}

/** The full NetworkSettings of `docker inspect`. */
export function networkSettingsView(engine: Engine, rec: ContainerRecord, state: ContainerState): Record<string, unknown> {
  return {
    Bridge: '',
    SandboxID: state.Running ? rec.Id : '',
    SandboxKey: state.Running && state.Pid ? `/proc/${state.Pid}/ns/net` : '',
    Ports: portsView(rec, state),
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: '',
    Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    MacAddress: '',
    Networks: networksView(engine, rec, state, endpointIndex(engine)),
  };
}
