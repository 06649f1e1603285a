import { ConflictError, NotFoundError } from '../errors.ts';
import { InFlight } from '../util/in-flight.ts';
import { KeyedLock } from '../util/lock.ts';
import type { Bridges } from './bridges.ts';
import { LEGACY_PLUGINS, confList, pluginsFor } from './conflist.ts';
import type { Cni, CniResult } from './cni.ts';
import type { EndpointRow, EndpointStore } from './endpoints.ts';
import type { NetnsDir } from './netns.ts';
import { allocatePorts, takenKeys, wantedPorts } from './ports.ts';
import type { NetworkRecords } from './records.ts';
import { hostResolv, hostsLines, resolvConf } from './resolv.ts';
import type { Attachment, ContainerNetworking, EndpointConfig, NetworkFiles, NetworkRecord, NetworkedContainer, PortMap } from './types.ts';

export interface AttachDeps {
  records: NetworkRecords;
  store: EndpointStore;
  cni: Cni;
  netns: NetnsDir;
  bridges: Bridges;
  ipamDir: string;
  /** Container ids by name or id, for `container:<name>` and --link. */
  resolveContainer: (nameOrId: string) => { id: string; name: string; running: boolean } | undefined;
}

/** The first IPv4 address of a CNI result, its prefix length and gateway, and the MAC of its interface. */
export function addressOf(r: CniResult | undefined): { ip: string; prefixLen: number; gateway: string; mac: string } | undefined {
  const a = r?.ips?.find((x) => !x.address.includes(':'));
  if (!a) return undefined;
  const [ip, bits] = a.address.split('/') as [string, string];
  const mac = (a.interface !== undefined ? r!.interfaces?.[a.interface]?.mac : undefined) ?? r!.interfaces?.find((i) => i.sandbox)?.mac ?? '';
  return { ip, prefixLen: Number(bits), gateway: a.gateway ?? '', mac };
}

/**
 * Container networking through CNI: a namespace per container (loopback up), one CNI ADD per
 * network it is a member of (eth0, eth1… in membership order), published ports on the first.
 * Everything is undone in reverse by detach, which the caller runs when attach fails.
 */
export class Attacher implements ContainerNetworking {
  /** Host ports are allocated one container at a time. */
  private readonly portLock = new KeyedLock();
  /**
   * A stopped container's endpoints are released after its stop has returned (as dockerd's):
   * attaching waits for those releases, so a port or address just freed is free to take.
   */
  readonly detaching = new InFlight();

  constructor(private readonly d: AttachDeps) {}

  private network(idOrName: string): NetworkRecord {
    const n = this.d.records.get(idOrName) ?? this.d.records.byName(idOrName);
    if (!n) throw new NotFoundError(`network ${idOrName} not found`);
    return n;
  }

  async attach(c: NetworkedContainer): Promise<Attachment> {
    const mode = c.networkMode || 'bridge';
    await this.detaching.settled();
    const host = await hostResolv();
    const dnsOpts = { dns: c.dns, search: c.dnsSearch, options: c.dnsOptions };
    const ready = (netns: string, files: NetworkFiles): Attachment => ({ netns, connected: Promise.resolve(files) });
    if (mode === 'host') return ready('host', { hosts: hostsLines({ extraHosts: c.extraHosts, links: [], hostname: c.hostname }), resolvConf: resolvConf(host, { ...dnsOpts, hostNetwork: true }) });
    if (mode.startsWith('container:')) {
      const other = this.d.resolveContainer(mode.slice('container:'.length));
      if (!other?.running || !(await this.d.netns.exists(other.id))) throw new ConflictError(`cannot join network namespace of a non running container: ${mode.slice(10)}`);
      const primary = this.d.store.ofContainer(other.id).find((e) => e.result);
      const addr = addressOf(primary?.result);
      const n = primary && this.d.records.get(primary.networkId);
      const nameServer = n && n.Name !== 'bridge' ? addr?.gateway : undefined;
      return ready(this.d.netns.path(other.id), { hosts: hostsLines({ extraHosts: c.extraHosts, links: [], ip: addr?.ip, hostname: c.hostname }), resolvConf: resolvConf(host, { ...dnsOpts, hostNetwork: false, nameServer }) });
    }
    const primary = mode === 'none' ? undefined : this.network(mode);
    const netns = await this.d.netns.create(c.id);
    if (!primary) return ready(netns, { hosts: hostsLines({ extraHosts: c.extraHosts, links: [], hostname: c.hostname }), resolvConf: resolvConf(host, { ...dnsOpts, hostNetwork: false }) });
    if (!this.d.store.get(c.id, primary.Id)) this.d.store.upsert(c.id, primary.Id, {});
    // Links read other containers' addresses: known before this one's interfaces are up.
    const links = this.links(c, primary);
    const connected = (async (): Promise<NetworkFiles> => {
      const rows = this.d.store.ofContainer(c.id).sort((a, b) => Number(b.networkId === primary.Id) - Number(a.networkId === primary.Id));
      let first: { ip: string; gateway: string } | undefined;
      for (const [i, row] of rows.entries()) {
        const n = this.d.records.get(row.networkId);
        if (!n) continue;
        const r = await this.attachOne(c, n, row.config, `eth${i}`, netns, n.Id === primary.Id);
        if (n.Id === primary.Id) first = addressOf(r);
      }
      const nameServer = primary.Name !== 'bridge' ? first?.gateway : undefined;
      return { hosts: hostsLines({ extraHosts: c.extraHosts, links, ip: first?.ip, hostname: c.hostname }), resolvConf: resolvConf(host, { ...dnsOpts, hostNetwork: false, nameServer }) };
    })();
    // The caller awaits it (and detaches on failure); this only keeps an early failure from
    // counting as unhandled while the task is being created.
    connected.catch(() => undefined);
    // Legacy link variables come from the default bridge only, as dockerd sets them.
    return { netns, linked: primary.Name === 'bridge' ? links.map((l) => ({ id: l.id, ip: l.ip })) : [], connected };
  }

  /** --link on the default bridge: `name:alias` → the linked container's address under both names. */
  private links(c: NetworkedContainer, primary: NetworkRecord): { id: string; ip: string; names: string[] }[] {
    const out: { id: string; ip: string; names: string[] }[] = [];
    const rowLinks = this.d.store.get(c.id, primary.Id)?.config.Links ?? [];
    for (const l of [...c.links, ...rowLinks]) {
      const [target, alias] = l.replace(/^\//, '').split(':') as [string, string?];
      const other = this.d.resolveContainer(target);
      if (!other) continue;
      const ep = this.d.store.get(other.id, primary.Id);
      const addr = addressOf(ep?.result);
      if (addr) out.push({ id: other.id, ip: addr.ip, names: [...new Set([alias?.split('/').pop() ?? other.name, other.name])] });
    }
    return out;
  }

  /** ADD on one network; the first one a container joins also publishes its ports. */
  async attachOne(c: NetworkedContainer, n: NetworkRecord, cfg: EndpointConfig, ifName: string, netns: string, publish: boolean): Promise<CniResult> {
    return this.d.bridges.lock.with(n.Id, async () => {
      await this.d.bridges.activate(n);
      const run = async (): Promise<CniResult> => {
        let mappings: Awaited<ReturnType<typeof allocatePorts>> = { mappings: [], ports: {} };
        if (publish && !n.Internal) {
          const taken = new Set(this.d.store.all().filter((e) => e.containerId !== c.id).flatMap((e) => takenKeys(e.ports ?? {})));
          mappings = await allocatePorts(wantedPorts(c), taken);
        }
        const runtimeConfig = {
          ...(mappings.mappings.length ? { portMappings: mappings.mappings } : {}),
          ...(cfg.IPAMConfig?.IPv4Address ? { ips: [cfg.IPAMConfig.IPv4Address] } : {}),
          ...(cfg.MacAddress ? { mac: cfg.MacAddress } : {}),
        };
        const plugins = pluginsFor({ publishes: mappings.mappings.length > 0, mac: !!cfg.MacAddress });
        const list = confList(n, { bridge: this.d.bridges.bridgeOf(n), ipamDir: this.d.ipamDir }, plugins);
        const result = await this.d.cni.add(list, { containerId: c.id, netns, ifName, runtimeConfig });
        this.d.store.setAttached(c.id, n.Id, netns, result, exposedView(c, mappings.ports, publish), plugins);
        return result;
      };
      // Allocation and ADD together, so two starts can't take the same port.
      const result = publish ? await this.portLock.with('ports', run) : await run();
      await this.d.bridges.added(n, addressOf(result)?.gateway);
      return result;
    });
  }

  /**
   * DEL on one network with the result ADD gave; the network goes idle with its last endpoint.
   * `inNetns` false: the namespace is going away, leave its interfaces to the kernel.
   */
  async detachOne(row: EndpointRow, inNetns = true): Promise<void> {
    const n = this.d.records.get(row.networkId);
    if (!n) { this.d.store.setDetached(row.containerId, row.networkId); return; }
    await this.d.bridges.lock.with(n.Id, async () => {
      const list = confList(n, { bridge: this.d.bridges.bridgeOf(n), ipamDir: this.d.ipamDir }, row.plugins ?? LEGACY_PLUGINS);
      const ifName = row.result?.interfaces?.find((i) => i.sandbox)?.name ?? 'eth0';
      const portMappings = portMappingsOf(row.ports);
      await this.d.cni.del(list, { containerId: row.containerId, netns: inNetns ? row.netns ?? '' : '', ifName, runtimeConfig: { portMappings } }, row.result)
        .catch((e: unknown) => console.error(`wharf: CNI DEL of ${row.containerId.slice(0, 12)} on ${n.Name}:`, e));
      // The network stays up without endpoints (bridge, rules, name server), as Docker's do:
      // the next container joins without building it again. Removal and shutdown take it down.
      this.d.store.setDetached(row.containerId, row.networkId);
    });
  }

  async detach(containerId: string): Promise<void> {
    // The namespace goes with the container: once it is unmounted the kernel takes its
    // interfaces down in the background, where a DEL inside it would wait for each veth to
    // unregister (tens of milliseconds). So the DELs run beside the unmount and without the
    // namespace (the CNI spec allows DEL an empty CNI_NETNS): they release the addresses and
    // the port rules.
    const rows = this.d.store.ofContainer(containerId).filter((e) => e.result).reverse();
    await this.detaching.track(Promise.all([
      this.d.netns.remove(containerId),
      (async () => { for (const row of rows) await this.detachOne(row, false); })(),
    ]));
  }

  async forget(containerId: string): Promise<void> {
    await this.detach(containerId);
    this.d.store.deleteContainer(containerId);
  }
}

/** Exposed but unpublished ports show as null next to the published ones. */
function exposedView(c: NetworkedContainer, ports: PortMap, publish: boolean): PortMap {
  const out: PortMap = {};
  if (publish) for (const k of c.exposedPorts) out[k] = null;
  return { ...out, ...ports };
}

function portMappingsOf(ports: PortMap | undefined): { hostPort: number; containerPort: number; protocol: string; hostIP: string }[] {
  const out: { hostPort: number; containerPort: number; protocol: string; hostIP: string }[] = [];
  for (const [key, list] of Object.entries(ports ?? {})) {
    const [port, protocol = 'tcp'] = key.split('/') as [string, string?];
    for (const b of list ?? []) out.push({ hostPort: Number(b.HostPort), containerPort: Number(port), protocol, hostIP: b.HostIp === '0.0.0.0' ? '' : b.HostIp });
  }
  return out;
}
