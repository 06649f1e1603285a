import { deepFreeze } from '../util/freeze.ts';
import type { DB } from './db.ts';

export interface ContainerRow<R, S> { id: string; name: string; imageId: string; record: R; state: S; created: number }

interface Raw { id: string; name: string; image_id: string; record: string; state: string; created: number }

/**
 * Container records. The record (config) and the state are separate JSON columns so that
 * frequent state changes never rewrite the config.
 */
export class ContainerMetadata<R, S> {
  /**
   * The last row parsed for each id, with the text it came from: a row whose columns read the
   * same is not parsed again (a listing of a thousand containers parses only what changed).
   * Rows are frozen, as every reader shares them.
   */
  private readonly parsed = new Map<string, { raw: Raw; row: ContainerRow<R, S> }>();

  constructor(private readonly db: DB) {}

  private toRow(r: Raw): ContainerRow<R, S> {
    const hit = this.parsed.get(r.id);
    if (hit && hit.raw.record === r.record && hit.raw.state === r.state && hit.raw.name === r.name && hit.raw.image_id === r.image_id && hit.raw.created === r.created) return hit.row;
    const row = deepFreeze({ id: r.id, name: r.name, imageId: r.image_id, record: JSON.parse(r.record) as R, state: JSON.parse(r.state) as S, created: r.created });
    this.parsed.set(r.id, { raw: r, row });
    return row;
  }

  get(id: string): ContainerRow<R, S> | undefined {
    const r = this.db.prepare('SELECT * FROM containers WHERE id = ?').get(id) as Raw | undefined;
    return r && this.toRow(r);
  }

  byName(name: string): ContainerRow<R, S> | undefined {
    const r = this.db.prepare('SELECT * FROM containers WHERE name = ?').get(name) as Raw | undefined;
    return r && this.toRow(r);
  }

  byPrefix(prefix: string): string[] {
    return (this.db.prepare('SELECT id FROM containers WHERE id >= ? AND id < ? LIMIT 2').all(prefix, `${prefix}\uffff`) as { id: string }[]).map((r) => r.id);
  }

  all(): ContainerRow<R, S>[] {
    return (this.db.prepare('SELECT * FROM containers ORDER BY created DESC, rowid DESC').all() as Raw[]).map((r) => this.toRow(r));
  }

  insert(id: string, name: string, imageId: string, record: R, state: S): void {
    this.db.prepare('INSERT INTO containers (id, name, image_id, record, state, created) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, name, imageId, JSON.stringify(record), JSON.stringify(state), Date.now());
  }

  setRecord(id: string, name: string, record: R): void {
    this.db.prepare('UPDATE containers SET name = ?, record = ? WHERE id = ?').run(name, JSON.stringify(record), id);
  }

  setState(id: string, state: S): void {
    this.db.prepare('UPDATE containers SET state = ? WHERE id = ?').run(JSON.stringify(state), id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM containers WHERE id = ?').run(id);
    this.parsed.delete(id);
  }

  imageUsers(imageId: string): string[] {
    return (this.db.prepare('SELECT id FROM containers WHERE image_id = ?').all(imageId) as { id: string }[]).map((r) => r.id);
  }
}
