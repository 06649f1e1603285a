import type { DB } from '../metadata/db.ts';
import type { NetworkRecord } from './types.ts';

interface Raw { id: string; name: string; record: string; builtin: number; created: string }

/** Network records in the metadata database. */
export class NetworkRecords {
  constructor(private readonly db: DB) {}

  all(): NetworkRecord[] {
    return (this.db.prepare('SELECT * FROM networks ORDER BY builtin DESC, created').all() as Raw[]).map((r) => JSON.parse(r.record) as NetworkRecord);
  }

  get(id: string): NetworkRecord | undefined {
    const r = this.db.prepare('SELECT * FROM networks WHERE id = ?').get(id) as Raw | undefined;
    return r && (JSON.parse(r.record) as NetworkRecord);
  }

  byName(name: string): NetworkRecord | undefined {
    const r = this.db.prepare('SELECT * FROM networks WHERE name = ?').get(name) as Raw | undefined;
    return r && (JSON.parse(r.record) as NetworkRecord);
  }

  byPrefix(prefix: string): NetworkRecord[] {
    return (this.db.prepare('SELECT * FROM networks WHERE id >= ? AND id < ?').all(prefix, `${prefix}\uffff`) as Raw[]).map((r) => JSON.parse(r.record) as NetworkRecord);
  }

  insert(n: NetworkRecord, builtin: boolean): void {
    this.db.prepare('INSERT INTO networks (id, name, record, builtin, created) VALUES (?, ?, ?, ?, ?)').run(n.Id, n.Name, JSON.stringify(n), builtin ? 1 : 0, n.Created);
  }

  update(n: NetworkRecord): void {
    this.db.prepare('UPDATE networks SET record = ? WHERE id = ?').run(JSON.stringify(n), n.Id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM networks WHERE id = ?').run(id);
  }
}
