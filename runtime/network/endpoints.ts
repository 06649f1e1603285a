import type { DB } from '../metadata/db.ts';
import { deepFreeze } from '../util/freeze.ts';
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

interface Raw { rowid: number; container_id: string; network_id: string; config: string; netns: string | null; result: string | null; ports: string | null; plugins: string | null; attached_at: number | null }

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

/**
 * Endpoint rows in the metadata database; membership survives stops, the CNI half only a run.
 *
 * SQLite is the truth; this engine is the table's only writer, so the rows are also kept parsed
 * in memory by container (loaded once, a container's rows read again after each write to them):
 * a `docker ps` of a thousand containers, a name lookup of the DNS server or a port allocation
 * never runs a query per container or parses the whole table again. Rows are frozen, as every
 * reader shares them.
 */
export class EndpointStore {
  /** By container; each list and the whole in rowid order (the order a listing shows). */
  private cache?: Map<string, { rowid: number; row: EndpointRow }[]>;

  constructor(private readonly db: DB) {}

  all(): EndpointRow[] {
    return this.rows().map((e) => e.row);
  }

  ofContainer(containerId: string): EndpointRow[] {
    return (this.loaded().get(containerId) ?? []).map((e) => e.row);
  }

  ofNetwork(networkId: string): EndpointRow[] {
    return this.rows().filter((e) => e.row.networkId === networkId).map((e) => e.row);
  }

  get(containerId: string, networkId: string): EndpointRow | undefined {
    return this.loaded().get(containerId)?.find((e) => e.row.networkId === networkId)?.row;
  }

  /** Join (or re-configure) a network; the CNI half is left as it is. */
  upsert(containerId: string, networkId: string, config: EndpointConfig): void {
    this.db.prepare(`INSERT INTO network_endpoints (container_id, network_id, config) VALUES (?, ?, ?)
      ON CONFLICT (container_id, network_id) DO UPDATE SET config = excluded.config`).run(containerId, networkId, JSON.stringify(config));
    this.reread(containerId);
  }

  setAttached(containerId: string, networkId: string, netns: string, result: CniResult, ports: PortMap, plugins: readonly PluginName[]): void {
    this.db.prepare('UPDATE network_endpoints SET netns = ?, result = ?, ports = ?, plugins = ?, attached_at = ? WHERE container_id = ? AND network_id = ?')
      .run(netns, JSON.stringify(result), JSON.stringify(ports), JSON.stringify(plugins), Date.now(), containerId, networkId);
    this.reread(containerId);
  }

  setDetached(containerId: string, networkId: string): void {
    this.db.prepare('UPDATE network_endpoints SET netns = NULL, result = NULL, ports = NULL, plugins = NULL, attached_at = NULL WHERE container_id = ? AND network_id = ?').run(containerId, networkId);
    this.reread(containerId);
  }

  delete(containerId: string, networkId: string): void {
    this.db.prepare('DELETE FROM network_endpoints WHERE container_id = ? AND network_id = ?').run(containerId, networkId);
    this.reread(containerId);
  }

  deleteContainer(containerId: string): void {
    this.db.prepare('DELETE FROM network_endpoints WHERE container_id = ?').run(containerId);
    this.cache?.delete(containerId);
  }

  private loaded(): NonNullable<typeof this.cache> {
    if (this.cache) return this.cache;
    const cache = new Map<string, { rowid: number; row: EndpointRow }[]>();
    for (const r of this.db.prepare('SELECT rowid, * FROM network_endpoints ORDER BY rowid').all() as Raw[]) {
      const list = cache.get(r.container_id) ?? [];
      list.push({ rowid: r.rowid, row: deepFreeze(decode(r)) });
      cache.set(r.container_id, list);
    }
    return (this.cache = cache);
  }

  private rows(): { rowid: number; row: EndpointRow }[] {
    return [...this.loaded().values()].flat().sort((a, b) => a.rowid - b.rowid);
  }

  /** After a write that succeeded: the container's rows as SQLite now has them. */
  private reread(containerId: string): void {
    if (!this.cache) return;
    const rows = this.db.prepare('SELECT rowid, * FROM network_endpoints WHERE container_id = ? ORDER BY rowid').all(containerId) as Raw[];
    if (rows.length === 0) this.cache.delete(containerId);
    else this.cache.set(containerId, rows.map((r) => ({ rowid: r.rowid, row: deepFreeze(decode(r)) })));
  }
}
