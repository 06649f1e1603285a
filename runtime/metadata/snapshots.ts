import type { DB } from './db.ts';

export interface SnapshotRow {
  id: number;
  key: string;
  parent: string | null;
  kind: 'committed' | 'active';
  size: number;
  created: number;
}

/** Snapshot records: the tree of committed layers (keyed by chainID) and active container layers. */
export class SnapshotMetadata {
  constructor(private readonly db: DB) {}

  get(key: string): SnapshotRow | undefined {
    return this.db.prepare('SELECT * FROM snapshots WHERE key = ?').get(key) as SnapshotRow | undefined;
  }

  insert(key: string, parent: string | undefined, kind: 'committed' | 'active'): SnapshotRow {
    const created = Math.floor(Date.now() / 1000);
    const info = this.db.prepare('INSERT INTO snapshots (key, parent, kind, created) VALUES (?, ?, ?, ?)').run(key, parent ?? null, kind, created);
    return { id: Number(info.lastInsertRowid), key, parent: parent ?? null, kind, size: 0, created };
  }

  /** Turn an active snapshot into a committed one under a new key, in one transaction. */
  rename(from: string, to: string, kind: 'committed' | 'active', size: number): void {
    this.db.prepare('UPDATE snapshots SET key = ?, kind = ?, size = ? WHERE key = ?').run(to, kind, size, from);
  }

  delete(key: string): void {
    this.db.prepare('DELETE FROM snapshots WHERE key = ?').run(key);
  }

  children(key: string): SnapshotRow[] {
    return this.db.prepare('SELECT * FROM snapshots WHERE parent = ?').all(key) as SnapshotRow[];
  }

  all(): SnapshotRow[] {
    return this.db.prepare('SELECT * FROM snapshots').all() as SnapshotRow[];
  }

  /** The chain from `key` down to the base layer, top-most first. */
  chain(key: string): SnapshotRow[] {
    const out: SnapshotRow[] = [];
    let cur = this.get(key);
    while (cur) {
      out.push(cur);
      cur = cur.parent ? this.get(cur.parent) : undefined;
    }
    return out;
  }
}
