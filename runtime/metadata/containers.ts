import { deepFreeze } from '../util/freeze.ts';
import type { DB } from './db.ts';

export interface ContainerRow<R, S> { id: string; name: string; imageId: string; record: R; state: S; created: number }

interface Raw { id: string; name: string; image_id: string; record: string; state: string; created: number }

/**
 * Container records. The record (config) and the state are separate JSON columns so that
 * frequent state changes never rewrite the config.
 *
 * SQLite is the truth that survives a crash; every write goes there first. This engine is the
 * table's only writer, so the rows are also kept parsed in memory, loaded once and replaced as
 * each write succeeds: reads (a `docker ps` of a thousand containers among them) never copy
 * the JSON out of SQLite again. Rows are frozen, as every reader shares them.
 */
export class ContainerMetadata<R, S> {
  /** By id, in insertion (rowid) order, which breaks ties between rows created in one millisecond. */
  private cache?: { rows: Map<string, ContainerRow<R, S>>; names: Map<string, string> };
  /** The listing's order (newest first), rebuilt after an insert or a delete. */
  private order?: string[];

  constructor(private readonly db: DB) {}

  private loaded(): NonNullable<typeof this.cache> {
    if (this.cache) return this.cache;
    const rows = new Map<string, ContainerRow<R, S>>();
    const names = new Map<string, string>();
    for (const r of this.db.prepare('SELECT * FROM containers ORDER BY rowid').all() as Raw[]) {
      rows.set(r.id, this.parse(r));
      names.set(r.name, r.id);
    }
    return (this.cache = { rows, names });
  }

  private parse(r: Raw): ContainerRow<R, S> {
    return deepFreeze({ id: r.id, name: r.name, imageId: r.image_id, record: JSON.parse(r.record) as R, state: JSON.parse(r.state) as S, created: r.created });
  }

  get(id: string): ContainerRow<R, S> | undefined {
    return this.loaded().rows.get(id);
  }

  byName(name: string): ContainerRow<R, S> | undefined {
    const { rows, names } = this.loaded();
    const id = names.get(name);
    return id === undefined ? undefined : rows.get(id);
  }

  byPrefix(prefix: string): string[] {
    return (this.db.prepare('SELECT id FROM containers WHERE id >= ? AND id < ? LIMIT 2').all(prefix, `${prefix}\uffff`) as { id: string }[]).map((r) => r.id);
  }

  all(): ContainerRow<R, S>[] {
    const { rows } = this.loaded();
    // Newest first: created descending, then rowid descending (the sort is stable).
    this.order ??= [...rows.values()].reverse().sort((a, b) => b.created - a.created).map((r) => r.id);
    return this.order.map((id) => rows.get(id)!);
  }

  insert(id: string, name: string, imageId: string, record: R, state: S): void {
    const raw = { id, name, image_id: imageId, record: JSON.stringify(record), state: JSON.stringify(state), created: Date.now() };
    this.db.prepare('INSERT INTO containers (id, name, image_id, record, state, created) VALUES (?, ?, ?, ?, ?, ?)')
      .run(raw.id, raw.name, raw.image_id, raw.record, raw.state, raw.created);
    const { rows, names } = this.loaded();
    rows.set(id, this.parse(raw));
    names.set(name, id);
    this.order = undefined;
  }

  setRecord(id: string, name: string, record: R): void {
    const text = JSON.stringify(record);
    this.db.prepare('UPDATE containers SET name = ?, record = ? WHERE id = ?').run(name, text, id);
    const { rows, names } = this.loaded();
    const old = rows.get(id);
    if (!old) return;
    if (names.get(old.name) === id) names.delete(old.name);
    names.set(name, id);
    rows.set(id, deepFreeze({ ...old, name, record: JSON.parse(text) as R }));
  }

  setState(id: string, state: S): void {
    const text = JSON.stringify(state);
    this.db.prepare('UPDATE containers SET state = ? WHERE id = ?').run(text, id);
    const { rows } = this.loaded();
    const old = rows.get(id);
    if (old) rows.set(id, deepFreeze({ ...old, state: JSON.parse(text) as S }));
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM containers WHERE id = ?').run(id);
    const { rows, names } = this.loaded();
    const old = rows.get(id);
    rows.delete(id);
    if (old && names.get(old.name) === id) names.delete(old.name);
    this.order = undefined;
  }

  imageUsers(imageId: string): string[] {
    return (this.db.prepare('SELECT id FROM containers WHERE image_id = ?').all(imageId) as { id: string }[]).map((r) => r.id);
  }
}
