import type { DB } from '../metadata/db.ts';
import type { NetworkRecord } from './types.ts';
import { deepFreeze } from '../util/freeze.ts';

interface Raw { id: string; name: string; record: string; builtin: number; created: string }

/**
 * Network records in the metadata database. A machine has a handful of networks and a
 * listing of containers asks for the same ones once per container, so every record is read
 * once and kept (frozen: callers build a changed copy and write it back) until the next write.
 */
export class NetworkRecords {
  private cache: Map<string, NetworkRecord> | undefined;

  constructor(private readonly db: DB) {}

  all(): NetworkRecord[] {
    return [...this.load().values()];
  }

  get(id: string): NetworkRecord | undefined {
    return this.load().get(id);
  }

  byName(name: string): NetworkRecord | undefined {
    for (const n of this.load().values()) if (n.Name === name) return n;
    return undefined;
  }

  byPrefix(prefix: string): NetworkRecord[] {
    return this.all().filter((n) => n.Id.startsWith(prefix));
  }

  insert(n: NetworkRecord, builtin: boolean): void {
    this.cache = undefined;
    this.db.prepare('INSERT INTO networks (id, name, record, builtin, created) VALUES (?, ?, ?, ?, ?)').run(n.Id, n.Name, JSON.stringify(n), builtin ? 1 : 0, n.Created);
  }

  update(n: NetworkRecord): void {
    this.cache = undefined;
    this.db.prepare('UPDATE networks SET record = ? WHERE id = ?').run(JSON.stringify(n), n.Id);
  }

  delete(id: string): void {
    this.cache = undefined;
    this.db.prepare('DELETE FROM networks WHERE id = ?').run(id);
  }

  /** Read again after any write (a rolled-back transaction included), in the listing's order. */
  private load(): Map<string, NetworkRecord> {
    if (!this.cache) {
      const rows = this.db.prepare('SELECT * FROM networks ORDER BY builtin DESC, created').all() as Raw[];
      this.cache = new Map(rows.map((r) => [r.id, deepFreeze(JSON.parse(r.record) as NetworkRecord)]));
    }
    return this.cache;
  }
}
