import type { DB } from '../metadata/db.ts';
import type { EventBus } from '../events/bus.ts';
import { ConflictError, InvalidArgumentError, NotFoundError, NotImplementedError } from '../errors.ts';
import { newId } from '../util/ids.ts';
import { sha256 } from '../util/digest.ts';
import { NetworkForbiddenError } from './errors.ts';
import { allocateSubnet, checkOverlaps, subnetsOf, validateIPAM } from './ipam.ts';
import { NetworkRecords } from './records.ts';
import type { IPAMConfig, NetworkCreateRequest, NetworkEndpoint, NetworkRecord, NetworkUser } from './types.ts';

export type { IPAMConfig, NetworkCreateRequest, NetworkEndpoint, NetworkRecord, NetworkUser } from './types.ts';
export { NetworkForbiddenError } from './errors.ts';

export const PREDEFINED_NETWORKS = ['bridge', 'host', 'none'] as const;
/** libnetwork's rule for network names. */
const NAME_RE = /^[\w]+[\w\-. ]*[\w]+$/;

/**
 * Network records: the pre-defined `bridge`, `host` and `none`, and user-defined bridge
 * networks with validated, non-overlapping IPAM. Containers attach by HostConfig.NetworkMode;
 * only running ones hold an endpoint, as in Docker.
 */
export class NetworkService {
  private readonly records: NetworkRecords;

  constructor(db: DB, private readonly events: EventBus, private readonly containers: () => NetworkUser[]) {
    this.records = new NetworkRecords(db);
  }

  /** Create the pre-defined networks on first boot; their ids then stay stable. */
  init(): void {
    const created = new Date().toISOString();
    const base = { Scope: 'local' as const, Created: created, Internal: false, Attachable: false, Ingress: false, ConfigFrom: { Network: '' }, ConfigOnly: false, EnableIPv6: false, Labels: {} };
    if (!this.records.byName('bridge')) {
      this.records.insert({
        ...base, Name: 'bridge', Id: newId(), Driver: 'bridge', EnableIPv4: true,
        IPAM: { Driver: 'default', Options: null, Config: [{ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }] },
        Options: {
          'com.docker.network.bridge.default_bridge': 'true',
          'com.docker.network.bridge.enable_icc': 'true',
          'com.docker.network.bridge.enable_ip_masquerade': 'true',
          'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
          'com.docker.network.bridge.name': 'wharf0',
          'com.docker.network.driver.mtu': '1500',
        },
      }, true);
    }
    for (const [name, driver] of [['host', 'host'], ['none', 'null']] as const) {
      if (!this.records.byName(name)) {
        this.records.insert({ ...base, Name: name, Id: newId(), Driver: driver, EnableIPv4: false, IPAM: { Driver: 'default', Options: null, Config: [] }, Options: {} }, true);
      }
    }
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
    const out: Record<string, NetworkEndpoint> = {};
    for (const c of containers) {
      if (!c.state.Running || this.networkOf(c) !== n.Id) continue;
      out[c.id] = { Name: c.name, EndpointID: sha256(`${n.Id} ${c.id}`).slice(7), MacAddress: '', IPv4Address: '', IPv6Address: '' };
    }
    return out;
  }

  private networkOf(c: NetworkUser): string | undefined {
    const mode = c.record.HostConfig.NetworkMode ?? '';
    if (mode.startsWith('container:')) return undefined;
    const name = mode === '' || mode === 'default' ? 'bridge' : mode;
    try { return this.find(name)?.Id; } catch { return undefined; }
  }

  create(req: NetworkCreateRequest): { Id: string; Warning: string } {
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
    const taken = this.list().flatMap((n) => subnetsOf(n.IPAM.Config));
    checkOverlaps(configs, taken);
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

  remove(idOrName: string): void {
    const n = this.get(idOrName);
    if (this.isPredefined(n.Name)) throw new NetworkForbiddenError(`${n.Name} is a pre-defined network and cannot be removed`);
    const active = Object.entries(this.endpoints(n));
    if (active.length > 0) {
      const list = active.map(([id, e]) => `name:"${e.Name}" id:"${id.slice(0, 12)}"`).join(', ');
      throw new NetworkForbiddenError(`error while removing network: network ${n.Name} has active endpoints (${list})`);
    }
    this.records.delete(n.Id);
    this.events.publish('network', 'destroy', n.Id, { name: n.Name, type: n.Driver });
  }

  /** User-defined networks without running containers, narrowed by `filter`. */
  prune(filter?: (n: NetworkRecord) => boolean): { NetworksDeleted: string[] } {
    const deleted: string[] = [];
    for (const n of this.list()) {
      if (this.isPredefined(n.Name) || Object.keys(this.endpoints(n)).length > 0) continue;
      if (filter && !filter(n)) continue;
      this.records.delete(n.Id);
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
