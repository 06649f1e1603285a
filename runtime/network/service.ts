import { join } from 'node:path';
import type { DB } from '../metadata/db.ts';
import type { EventBus } from '../events/bus.ts';
import { ConflictError, InvalidArgumentError, NotFoundError, NotImplementedError } from '../errors.ts';
import { newId } from '../util/ids.ts';
import { sha256 } from '../util/digest.ts';
import { NetworkForbiddenError } from './errors.ts';
import { checkOverlaps, subnetsOf, validateIPAM } from './ipam.ts';
import { NetworkRecords } from './records.ts';
import { EndpointStore } from './endpoints.ts';
import { Cni } from './cni.ts';
import { NetnsDir } from './netns.ts';
import { Firewall } from './firewall.ts';
import { Bridges } from './bridges.ts';
import { Attacher, addressOf } from './attach.ts';
import { recoverNetworks } from './recover.ts';
import { hostResolv } from './resolv.ts';
import { hostPrefixes, pickBridgeSubnet } from './host-routes.ts';
import { lookupIn, networked } from './names.ts';
import { firstHost, formatAddr, parsePrefix } from './ip.ts';
import { allocateSubnet } from './ipam.ts';
import { allocatePorts, takenKeys, wantedPorts } from './ports.ts';
import type { ContainerNetworking, EndpointConfig, IPAMConfig, NetworkCreateRequest, NetworkEndpoint, NetworkRecord, NetworkUser, PortMap } from './types.ts';

export type { IPAMConfig, NetworkCreateRequest, NetworkEndpoint, NetworkRecord, NetworkUser, EndpointConfig, PortMap, ContainerNetworking } from './types.ts';
export { NetworkForbiddenError } from './errors.ts';

export const PREDEFINED_NETWORKS = ['bridge', 'host', 'none'] as const;
/** libnetwork's rule for network names. */
const NAME_RE = /^[\w]+[\w\-. ]*[\w]+$/;

export interface NetworkConfig {
  runRoot: string;
  /** Debian's containernetworking-plugins. */
  cniPath: string;
  /** The default bridge's device; user networks' bridges share its stem (`wharf0` → `wharf-<id>`). */
  bridgeName: string;
  /** The default bridge's subnet; unset picks a free private /16 at first boot. */
  bridgeSubnet?: string;
}

/** EndpointSettings of one network as inspect shows it. */
export type EndpointView = Record<string, unknown>;

/**
 * Networks: the pre-defined `bridge`, `host` and `none`, and user-defined bridge networks with
 * validated, non-overlapping IPAM, made real through CNI while containers are on them.
 */
export class NetworkService {
  private readonly records: NetworkRecords;
  private readonly store: EndpointStore;
  private readonly bridges: Bridges;
  private readonly attacher: Attacher;
  private readonly recoverDeps: Parameters<typeof recoverNetworks>[0];
  private upstreams: string[] = [];

  constructor(db: DB, private readonly events: EventBus, private readonly containers: () => NetworkUser[], private readonly cfg: NetworkConfig) {
    this.records = new NetworkRecords(db);
    this.store = new EndpointStore(db);
    // `wharf0` → `wharf`: one trailing digit, so `br12` keeps its own stem `br1`.
    const stem = cfg.bridgeName.replace(/\d$/, '') || cfg.bridgeName;
    const ipamDir = join(cfg.runRoot, 'ipam');
    const cni = new Cni(cfg.cniPath);
    const netns = new NetnsDir(join(cfg.runRoot, 'netns'));
    this.bridges = new Bridges({
      defaultBridge: cfg.bridgeName, stem, ipamDir, firewall: new Firewall(stem),
      lookup: (networkId) => (name, source) => lookupIn(this.store, this.containers(), networkId, name, source, (id) => this.records.get(id)?.Name !== 'bridge'),
      upstreams: () => this.upstreams,
    });
    this.attacher = new Attacher({ records: this.records, store: this.store, cni, netns, bridges: this.bridges, ipamDir, resolveContainer: (n) => this.container(n) });
    this.recoverDeps = { records: this.records, store: this.store, cni, netns, bridges: this.bridges, attacher: this.attacher, ipamDir };
  }

  /** What the container lifecycle calls: attach before a task starts, detach after it stopped. */
  get networking(): ContainerNetworking {
    return this.attacher;
  }

  private container(nameOrId: string): { id: string; name: string; running: boolean } | undefined {
    const all = this.containers();
    const key = nameOrId.replace(/^\//, '');
    const c = all.find((x) => x.id === key) ?? all.find((x) => x.name === key) ?? (key.length >= 3 ? all.find((x) => x.id.startsWith(key)) : undefined);
    return c && { id: c.id, name: c.name, running: c.state.Running };
  }

  /** Create the pre-defined networks on first boot (their ids then stay stable); the default bridge's subnet follows the config. */
  async init(): Promise<void> {
    const hostDns = await hostResolv();
    this.upstreams = hostDns.nameservers;
    const created = new Date().toISOString();
    const base = { Scope: 'local' as const, Created: created, Internal: false, Attachable: false, Ingress: false, ConfigFrom: { Network: '' }, ConfigOnly: false, EnableIPv6: false, Labels: {} };
    const existing = this.records.byName('bridge');
    let ipam: IPAMConfig | undefined;
    if (this.cfg.bridgeSubnet) {
      const p = parsePrefix(this.cfg.bridgeSubnet);
      if (!p || p.addr.family !== 4) throw new InvalidArgumentError(`invalid bridge subnet ${this.cfg.bridgeSubnet} (WHARF_BRIDGE_SUBNET)`);
      validateIPAM([{ Subnet: this.cfg.bridgeSubnet }], false);
      ipam = { Subnet: this.cfg.bridgeSubnet, Gateway: formatAddr(firstHost(p)) };
    } else if (!existing || existing.IPAM.Config[0]?.Subnet === '172.17.0.0/16') {
      const taken = [...await hostPrefixes(), ...this.list().filter((n) => n.Name !== 'bridge').flatMap((n) => subnetsOf(n.IPAM.Config))];
      ipam = pickBridgeSubnet(taken);
      if (!ipam) throw new NetworkForbiddenError('no free private /16 for the default bridge: set WHARF_BRIDGE_SUBNET');
    }
    const options = {
      'com.docker.network.bridge.default_bridge': 'true',
      'com.docker.network.bridge.enable_icc': 'true',
      'com.docker.network.bridge.enable_ip_masquerade': 'true',
      'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
      'com.docker.network.bridge.name': this.cfg.bridgeName,
      'com.docker.network.driver.mtu': '1500',
    };
    if (!existing) {
      this.records.insert({
        ...base, Name: 'bridge', Id: newId(), Driver: 'bridge', EnableIPv4: true,
        IPAM: { Driver: 'default', Options: null, Config: [ipam!] }, Options: options,
      }, true);
    } else if ((ipam && ipam.Subnet !== existing.IPAM.Config[0]?.Subnet) || existing.Options['com.docker.network.bridge.name'] !== this.cfg.bridgeName) {
      // A new subnet or device only takes effect while nothing is attached to the old one.
      if (!this.store.ofNetwork(existing.Id).some((e) => e.result)) {
        this.records.update({ ...existing, IPAM: { ...existing.IPAM, Config: ipam ? [ipam] : existing.IPAM.Config }, Options: options });
      }
    }
    for (const [name, driver] of [['host', 'host'], ['none', 'null']] as const) {
      if (!this.records.byName(name)) {
        this.records.insert({ ...base, Name: name, Id: newId(), Driver: driver, EnableIPv4: false, IPAM: { Driver: 'default', Options: null, Config: [] }, Options: {} }, true);
      }
    }
  }

  /** Boot recovery, after the containers were reconciled. */
  recover(): Promise<void> {
    const running = new Set(this.containers().filter((c) => c.state.Running).map((c) => c.id));
    return recoverNetworks(this.recoverDeps, (id) => running.has(id));
  }

  /**
   * Shutdown: networks without endpoints leave the host; the others keep bridge and rules for
   * the containers that outlive us (the kernel forwards their ports), only name servers stop.
   */
  async close(): Promise<void> {
    for (const n of this.list()) if (this.bridges.isActive(n.Id)) await this.takeDown(n);
    await this.bridges.close();
  }

  list(): NetworkRecord[] {
    return this.records.all();
  }

  /** Docker's lookup order: full id, exact name, then a unique id prefix. */
  find(idOrName: string): NetworkRecord | undefined {
    const byId = this.records.get(idOrName) ?? this.records.byName(idOrName);
    if (byId || !/^[0-9a-f]+$/.test(idOrName)) return byId;
    const matches = this.records.byPrefix(idOrName);
    if (matches.length > 1) throw new InvalidArgumentError(`network ${idOrName} is ambiguous (${matches.length} matches found based on ID prefix)`);
    return matches[0];
  }

  get(idOrName: string): NetworkRecord {
    const n = this.find(idOrName);
    if (!n) throw new NotFoundError(`network ${idOrName} not found`);
    return n;
  }

  isPredefined(name: string): boolean {
    return (PREDEFINED_NETWORKS as readonly string[]).includes(name);
  }

  /**
   * Running containers attached to the network, keyed by container id (Docker's Containers map).
   * A listing that already holds the container rows passes them, so they are not read again per network.
   */
  endpoints(n: NetworkRecord, containers: readonly NetworkUser[] = this.containers()): Record<string, NetworkEndpoint> {
    const names = new Map(containers.map((c) => [c.id, c.name]));
    const out: Record<string, NetworkEndpoint> = {};
    for (const e of this.store.ofNetwork(n.Id)) {
      const a = addressOf(e.result);
      if (!a) continue;
      out[e.containerId] = { Name: names.get(e.containerId) ?? '', EndpointID: endpointId(n.Id, e.containerId), MacAddress: a.mac, IPv4Address: `${a.ip}/${a.prefixLen}`, IPv6Address: '' };
    }
    return out;
  }

  /**
   * NetworkSettings.Networks of a container: every network it is a member of, with addresses
   * while running. The caller passes the container it has (a listing must not re-read them all).
   */
  settings(c: Pick<NetworkUser, 'id' | 'name' | 'state'> & { record: { HostConfig: { NetworkMode?: string } } }): { networks: Record<string, EndpointView>; ports: PortMap | undefined } {
    const containerId = c.id;
    const mode = c.record.HostConfig.NetworkMode || 'bridge';
    const networks: Record<string, EndpointView> = {};
    let ports: PortMap | undefined;
    if (mode === 'host' || mode === 'none') {
      const n = this.records.byName(mode);
      if (n) networks[n.Name] = endpointView(n, containerId, {}, undefined, null);
      return { networks, ports };
    }
    if (mode.startsWith('container:')) return { networks, ports };
    for (const e of this.store.ofContainer(containerId)) {
      const n = this.records.get(e.networkId);
      if (!n) continue;
      const running = c.state.Running && !!e.result;
      const dnsNames = n.Name === 'bridge' ? null : [...new Set([c.name, ...(e.config.Aliases ?? []), containerId.slice(0, 12)])];
      networks[n.Name] = endpointView(n, containerId, e.config, running ? e.result : undefined, dnsNames);
      if (running && !ports && e.ports) ports = e.ports;
    }
    if (Object.keys(networks).length === 0) {
      // Created but never started: the network it will join, without an endpoint yet.
      const n = this.find(mode);
      if (n) networks[n.Name] = endpointView(n, containerId, {}, undefined, null);
    }
    return { networks, ports };
  }

  /**
   * The kernel's view of a running container's networking, for the dashboard's "under the hood":
   * its namespace file and, per network, the bridge device and the CNI result (host-side veth,
   * the interface inside, addresses, routes) and published ports.
   */
  underTheHood(containerId: string): { netns: string | undefined; endpoints: { network: string; bridge: string; result: unknown; ports: PortMap }[] } {
    const rows = this.store.ofContainer(containerId).filter((e) => e.result);
    return {
      netns: rows[0]?.netns,
      endpoints: rows.map((e) => {
        const n = this.records.get(e.networkId);
        return { network: n?.Name ?? e.networkId, bridge: n ? this.bridges.bridgeOf(n) : '', result: e.result, ports: e.ports ?? {} };
      }),
    };
  }

  /** Remember the EndpointSettings a container was created with (NetworkingConfig). */
  setEndpointConfigs(containerId: string, configs: Record<string, EndpointConfig>): void {
    for (const [name, cfg] of Object.entries(configs)) {
      const n = this.get(name);
      if (n.Driver !== 'bridge') continue;
      this.store.upsert(containerId, n.Id, cleanConfig(cfg));
    }
  }

  /** Fixed host ports of a new container that are taken already: Conflict (409), as a start would find. */
  async checkPorts(h: NetworkUser['record']['HostConfig']): Promise<void> {
    const wanted = wantedPorts({ portBindings: h.PortBindings ?? {}, publishAll: false, exposedPorts: [] }).filter((w) => w.hostPort);
    if (!wanted.length || h.NetworkMode === 'host' || h.NetworkMode === 'none') return;
    await this.attacher.detaching.settled();
    const taken = new Set(this.store.all().flatMap((e) => takenKeys(e.ports ?? {})));
    await allocatePorts(wanted, taken);
  }

  /** Check NetworkingConfig before anything is created: every network must exist (404). */
  checkEndpointConfigs(configs: Record<string, EndpointConfig>): void {
    for (const name of Object.keys(configs)) this.get(name);
  }

  /** docker network connect: membership is recorded; a running container joins at once. */
  async connect(idOrName: string, containerIdOrName: string, cfg: EndpointConfig): Promise<void> {
    const n = this.get(idOrName);
    const c = this.containers().find((x) => x.id === this.container(containerIdOrName)?.id);
    if (!c) throw new NotFoundError(`No such container: ${containerIdOrName}`);
    const mode = c.record.HostConfig.NetworkMode || 'bridge';
    if (n.Driver !== 'bridge') throw new NetworkForbiddenError(`container cannot be disconnected from host network or connected to host network`);
    if (mode === 'host' || mode === 'none' || mode.startsWith('container:')) throw new NetworkForbiddenError('container sharing network namespace with another container or host cannot be connected to any other network');
    if (this.store.get(c.id, n.Id)?.result || (this.store.get(c.id, n.Id) && !c.state.Running)) throw new NetworkForbiddenError(`endpoint with name ${c.name} already exists in network ${n.Name}`);
    const clean = cleanConfig(cfg);
    await this.attacher.detaching.settled();
    this.store.upsert(c.id, n.Id, clean);
    if (c.state.Running) {
      const ifName = `eth${this.store.ofContainer(c.id).filter((e) => e.result).length}`;
      try {
        await this.attacher.attachOne(networked(c), n, clean, ifName, join(this.cfg.runRoot, 'netns', c.id), false);
      } catch (e) {
        this.store.delete(c.id, n.Id);
        throw e;
      }
    }
    this.events.publish('network', 'connect', n.Id, { container: c.id, name: n.Name, type: n.Driver });
  }

  /** docker network disconnect: a running container leaves at once; membership goes. */
  async disconnect(idOrName: string, containerIdOrName: string, force = false): Promise<void> {
    const n = this.get(idOrName);
    const id = this.container(containerIdOrName)?.id;
    const row = id ? this.store.get(id, n.Id) : undefined;
    if (!id || !row) {
      if (force) return;
      if (!id) throw new NotFoundError(`No such container: ${containerIdOrName}`);
      throw new NetworkForbiddenError(`container ${id} is not connected to network ${n.Name}`);
    }
    if (row.result) await this.attacher.detachOne(row);
    this.store.delete(id, n.Id);
    this.events.publish('network', 'disconnect', n.Id, { container: id, name: n.Name, type: n.Driver });
  }

  async create(req: NetworkCreateRequest): Promise<{ Id: string; Warning: string }> {
    const name = req.Name ?? '';
    if (!name) throw new InvalidArgumentError('network name is required (Name)');
    if (this.isPredefined(name)) throw new NetworkForbiddenError(`operation is not permitted on predefined ${name} network `);
    if (!NAME_RE.test(name)) throw new InvalidArgumentError(`${name} includes invalid characters, only "${NAME_RE.source}" are allowed (Name)`);
    const driver = checkDriver(req.Driver || 'bridge');
    if (req.IPAM?.Driver && req.IPAM.Driver !== 'default') throw new NotFoundError(`plugin "${req.IPAM.Driver}" not found (IPAM.Driver)`);
    const enableIPv6 = !!req.EnableIPv6;
    const configs: IPAMConfig[] = (req.IPAM?.Config ?? []).map((c) => ({ ...c }));
    validateIPAM(configs, enableIPv6);
    if (this.records.byName(name)) throw new ConflictError(`network with name ${name} already exists`);
    if (req.Options?.['com.docker.network.bridge.name'] === 'docker0') throw new NetworkForbiddenError('bridge docker0 belongs to Docker (Options)');
    const taken = this.list().flatMap((n) => subnetsOf(n.IPAM.Config));
    checkOverlaps(configs, taken);
    // Automatic pools also keep clear of what the host routes (another Docker's bridges, VPNs).
    taken.push(...await hostPrefixes());
    if (req.EnableIPv4 !== false && !configs.some((c) => !c.Subnet?.includes(':'))) {
      const pool = allocateSubnet(taken);
      if (!pool) throw new NetworkForbiddenError('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
      configs.unshift(pool);
    }
    const n: NetworkRecord = {
      Name: name, Id: newId(), Created: new Date().toISOString(), Scope: 'local', Driver: driver,
      EnableIPv4: req.EnableIPv4 ?? true, EnableIPv6: enableIPv6,
      IPAM: { Driver: 'default', Options: req.IPAM?.Options ?? {}, Config: configs },
      Internal: !!req.Internal, Attachable: !!req.Attachable, Ingress: !!req.Ingress,
      ConfigFrom: { Network: req.ConfigFrom?.Network ?? '' }, ConfigOnly: !!req.ConfigOnly,
      Options: req.Options ?? {}, Labels: req.Labels ?? {},
    };
    try {
      this.records.insert(n, false);
    } catch (e) {
      // Two creates racing for one name: the database's UNIQUE constraint decides.
      if (this.records.byName(name)) throw new ConflictError(`network with name ${name} already exists`);
      throw e;
    }
    this.events.publish('network', 'create', n.Id, { name, type: driver });
    return { Id: n.Id, Warning: '' };
  }

  async remove(idOrName: string): Promise<void> {
    const n = this.get(idOrName);
    if (this.isPredefined(n.Name)) throw new NetworkForbiddenError(`${n.Name} is a pre-defined network and cannot be removed`);
    const active = Object.entries(this.endpoints(n));
    if (active.length > 0) {
      const list = active.map(([id, e]) => `name:"${e.Name}" id:"${id.slice(0, 12)}"`).join(', ');
      throw new NetworkForbiddenError(`error while removing network: network ${n.Name} has active endpoints (${list})`);
    }
    this.dropMembers(n.Id);
    this.records.delete(n.Id);
    await this.takeDown(n);
    this.events.publish('network', 'destroy', n.Id, { name: n.Name, type: n.Driver });
  }

  /** An idle network's bridge, rules, name server and reservations leave the host. */
  private async takeDown(n: NetworkRecord): Promise<void> {
    await this.bridges.lock.with(n.Id, async () => {
      if (!this.store.ofNetwork(n.Id).some((e) => e.result)) await this.bridges.deactivate(n);
    });
  }

  /** Stopped containers' memberships go with the network, as in Docker. */
  private dropMembers(networkId: string): void {
    for (const e of this.store.ofNetwork(networkId)) this.store.delete(e.containerId, networkId);
  }

  /** User-defined networks without running containers, narrowed by `filter`. */
  async prune(filter?: (n: NetworkRecord) => boolean): Promise<{ NetworksDeleted: string[] }> {
    const deleted: string[] = [];
    for (const n of this.list()) {
      if (this.isPredefined(n.Name) || Object.keys(this.endpoints(n)).length > 0) continue;
      if (filter && !filter(n)) continue;
      this.dropMembers(n.Id);
      this.records.delete(n.Id);
      await this.takeDown(n);
      this.events.publish('network', 'destroy', n.Id, { name: n.Name, type: n.Driver });
      deleted.push(n.Name);
    }
    this.events.publish('network', 'prune', '', {});
    return { NetworksDeleted: deleted };
  }
}

function checkDriver(driver: string): string {
  if (driver === 'bridge') return driver;
  if (driver === 'host' || driver === 'null') throw new NetworkForbiddenError(`only one instance of "${driver}" network is allowed`);
  if (driver === 'overlay') throw new NetworkForbiddenError('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');
  if (driver === 'macvlan' || driver === 'ipvlan') throw new NotImplementedError(`network driver "${driver}" is not supported by this engine (Driver)`);
  throw new NotFoundError(`plugin "${driver}" not found (Driver)`);
}

export function endpointId(networkId: string, containerId: string): string {
  return sha256(`${networkId} ${containerId}`).slice(7);
}

function cleanConfig(c: EndpointConfig): EndpointConfig {
  return {
    ...(c.Aliases?.length ? { Aliases: c.Aliases } : {}),
    ...(c.Links?.length ? { Links: c.Links } : {}),
    ...(c.IPAMConfig && (c.IPAMConfig.IPv4Address || c.IPAMConfig.IPv6Address) ? { IPAMConfig: c.IPAMConfig } : {}),
    ...(c.MacAddress ? { MacAddress: c.MacAddress } : {}),
    ...(c.DriverOpts && Object.keys(c.DriverOpts).length ? { DriverOpts: c.DriverOpts } : {}),
  };
}

/** One EndpointSettings in dockerd's shape and field order. */
function endpointView(n: NetworkRecord, containerId: string, cfg: EndpointConfig, result: Parameters<typeof addressOf>[0], dnsNames: string[] | null): EndpointView {
  const a = addressOf(result);
  return {
    IPAMConfig: cfg.IPAMConfig ?? null, Links: cfg.Links ?? null, Aliases: cfg.Aliases ?? null, MacAddress: a?.mac ?? cfg.MacAddress ?? '',
    DriverOpts: cfg.DriverOpts ?? null, NetworkID: n.Id, EndpointID: a ? endpointId(n.Id, containerId) : '',
    Gateway: a?.gateway ?? '', IPAddress: a?.ip ?? '', IPPrefixLen: a?.prefixLen ?? 0,
    IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DNSNames: a ? dnsNames : null,
  };
}
