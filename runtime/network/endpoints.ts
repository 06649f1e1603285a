import type { DB } from '../metadata/db.ts';
import type { CniResult } from './cni.ts';
import type { PluginName } from './conflist.ts';
import type { EndpointConfig, PortMap } from './types.ts';

/** A container's membership of one network: what was asked for, and while attached what CNI gave. */
export interface EndpointRow {
  containerId: string;
  networkId: string;
  config: EndpointConfig;
  netns?: string;
  result?: CniResult;
  ports?: PortMap;
  /** The plugins its ADD ran, for its DEL; absent for endpoints attached before they were recorded. */
  plugins?: PluginName[];
  attachedAt?: number;
}

interface Raw { container_id: string; network_id: string; config: string; netns: string | null; result: string | null; ports: string | null; plugins: string | null; attached_at: number | null }

function decode(r: Raw): EndpointRow {
  return {
    containerId: r.container_id, networkId: r.network_id, config: JSON.parse(r.config) as EndpointConfig,
    ...(r.netns ? { netns: r.netns } : {}),
    ...(r.result ? { result: JSON.parse(r.result) as CniResult } : {}),
    ...(r.ports ? { ports: JSON.parse(r.ports) as PortMap } : {}),
    ...(r.plugins ? { plugins: JSON.parse(r.plugins) as PluginName[] } : {}),
    ...(r.attached_at ? { attachedAt: r.attached_at } : {}),
  };
}

/** Endpoint rows in the metadata database; membership survives stops, the CNI half only a run. */
export class EndpointStore {
  constructor(private readonly db: DB) {}

  all(): EndpointRow[] {
    return (this.db.prepare('SELECT * FROM network_endpoints ORDER BY rowid').all() as Raw[]).map(decode);
  }

  ofContainer(containerId: string): EndpointRow[] {
    return (this.db.prepare('SELECT * FROM network_endpoints WHERE container_id = ? ORDER BY rowid').all(containerId) as Raw[]).map(decode);
  }

  ofNetwork(networkId: string): EndpointRow[] {
    return (this.db.prepare('SELECT * FROM network_endpoints WHERE network_id = ? ORDER BY rowid').all(networkId) as Raw[]).map(decode);
  }

  get(containerId: string, networkId: string): EndpointRow | undefined {
    const r = this.db.prepare('SELECT * FROM network_endpoints WHERE container_id = ? AND network_id = ?').get(containerId, networkId) as Raw | undefined;
    return r && decode(r);
  }

  /** Join (or re-configure) a network; the CNI half is left as it is. */
  upsert(containerId: string, networkId: string, config: EndpointConfig): void {
    this.db.prepare(`INSERT INTO network_endpoints (container_id, network_id, config) VALUES (?, ?, ?)
      ON CONFLICT (container_id, network_id) DO UPDATE SET config = excluded.config`).run(containerId, networkId, JSON.stringify(config));
  }

  setAttached(containerId: string, networkId: string, netns: string, result: CniResult, ports: PortMap, plugins: readonly PluginName[]): void {
    this.db.prepare('UPDATE network_endpoints SET netns = ?, result = ?, ports = ?, plugins = ?, attached_at = ? WHERE container_id = ? AND network_id = ?')
      .run(netns, JSON.stringify(result), JSON.stringify(ports), JSON.stringify(plugins), Date.now(), containerId, networkId);
  }

  setDetached(containerId: string, networkId: string): void {
    this.db.prepare('UPDATE network_endpoints SET netns = NULL, result = NULL, ports = NULL, plugins = NULL, attached_at = NULL WHERE container_id = ? AND network_id = ?').run(containerId, networkId);
  }

  delete(containerId: string, networkId: string): void {
    this.db.prepare('DELETE FROM network_endpoints WHERE container_id = ? AND network_id = ?').run(containerId, networkId);
  }

  deleteContainer(containerId: string): void {
    this.db.prepare('DELETE FROM network_endpoints WHERE container_id = ?').run(containerId);
  }
}
