import type { ContainerRecord, ContainerState, Engine } from '../../../runtime/index.ts';
import type * as Docker from '../../protocol/docker-api.ts';

export type PortBindingView = Required<Docker.PortBinding>;

/** An EndpointSettings with nothing attached yet: addresses come with container networking. */
export function endpoint(): Docker.GoJson<Docker.EndpointSettings> {
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

/** The network record a NetworkMode names, if it exists. */
export function findNetwork(engine: Engine, name: string): { Id: string; Name: string } | undefined {
  try {
    return engine.networks.find(name);
  } catch {
    return undefined;
  }
}

/** The container as the network service reads it. */
function asUser(rec: ContainerRecord, state: ContainerState | undefined): { id: string; name: string; state: { Running: boolean }; record: ContainerRecord } {
  return { id: rec.Id, name: rec.Name.replace(/^\//, ''), state: { Running: !!state?.Running }, record: rec };
}

/** The container's networks and published ports in one read, for a view that shows both. */
export type Networking = ReturnType<Engine['networks']['settings']>;

export function networking(engine: Engine, rec: ContainerRecord, state: ContainerState | undefined): Networking {
  return engine.networks.settings(asUser(rec, state));
}

/** NetworkSettings.Networks: every network the container is a member of, with its endpoint while running. */
export function networksView(engine: Engine, rec: ContainerRecord, state?: ContainerState, net = networking(engine, rec, state)): Record<string, Docker.GoJson<Docker.EndpointSettings>> {
  return net.networks as Record<string, Docker.GoJson<Docker.EndpointSettings>>;
}

/**
 * NetworkSettings.Ports of a running container: each exposed or published port with the host
 * bindings it got (ephemeral ones included), null when exposed only. Stopped containers publish
 * nothing, as in dockerd.
 */
export function portsView(engine: Engine, rec: ContainerRecord, state: ContainerState, net?: Networking): Record<string, PortBindingView[] | null> {
  if (!state.Running) return {};
  const ports = (net ?? networking(engine, rec, state)).ports ?? {};
  const out: Record<string, PortBindingView[] | null> = {};
  for (const key of Object.keys(ports).sort()) out[key] = ports[key] ?? null;
  return out;
}

/** The `Ports` list of `docker ps`, from the same map. */
export function portsSummary(engine: Engine, rec: ContainerRecord, state: ContainerState, net?: Networking): Docker.Port[] {
  const out: Docker.Port[] = [];
  for (const [key, bindings] of Object.entries(portsView(engine, rec, state, net))) {
    const [port, protocol] = key.split('/') as [string, string?];
    const proto = protocol === 'udp' || protocol === 'sctp' ? protocol : 'tcp';
    const privatePort = Number.parseInt(port, 10);
    if (!bindings) out.push({ PrivatePort: privatePort, Type: proto });
    else for (const b of bindings) out.push({ IP: b.HostIp, PrivatePort: privatePort, PublicPort: Number.parseInt(b.HostPort, 10), Type: proto });
  }
  return out;
}

/** The full NetworkSettings of `docker inspect`; the top-level address fields are the default bridge's, as in dockerd. */
export function networkSettingsView(engine: Engine, rec: ContainerRecord, state: ContainerState): Docker.GoJson<Docker.NetworkSettings> {
  const { networks, ports } = engine.networks.settings(asUser(rec, state));
  const bridge = networks.bridge as { EndpointID?: string; Gateway?: string; IPAddress?: string; IPPrefixLen?: number; MacAddress?: string } | undefined;
  const running = state.Running && !!state.Pid;
  return {
    Bridge: '',
    SandboxID: running ? rec.Id : '',
    // The namespace file under the run root, as dockerd names its /var/run/docker/netns/<id>.
    SandboxKey: running ? engine.networks.underTheHood(rec.Id).netns ?? (rec.HostConfig.NetworkMode === 'host' ? '' : `/proc/${state.Pid}/ns/net`) : '',
    Ports: state.Running ? Object.fromEntries(Object.keys(ports ?? {}).sort().map((k) => [k, ports![k] ?? null])) : {},
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: bridge?.EndpointID ?? '',
    Gateway: bridge?.Gateway ?? '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: bridge?.IPAddress ?? '',
    IPPrefixLen: bridge?.IPPrefixLen ?? 0,
    IPv6Gateway: '',
    MacAddress: bridge?.MacAddress ?? '',
    Networks: networks as Record<string, Docker.GoJson<Docker.EndpointSettings>>,
  };
}
