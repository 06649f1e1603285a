import type { DB } from './db.ts';

export interface ContainerUsageRow { id: string; sizeRw: number; measured: number }

/**
 * The last measured size of each container's writable layer, so that `docker ps -s`,
 * `system df` and the dashboard read a figure instead of walking every layer per request.
 * Rows go with their container (ON DELETE CASCADE).
 */
export class UsageMetadata {
  constructor(private readonly db: DB) {}

  all(): Map<string, ContainerUsageRow> {
    const rows = this.db.prepare('SELECT id, size_rw AS sizeRw, measured FROM container_usage').all() as ContainerUsageRow[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  get(id: string): ContainerUsageRow | undefined {
    return this.db.prepare('SELECT id, size_rw AS sizeRw, measured FROM container_usage WHERE id = ?').get(id) as ContainerUsageRow | undefined;
  }

  /** Record a measurement; false when the container is gone meanwhile. */
  set(id: string, sizeRw: number, measured: number): boolean {
    const info = this.db.prepare(
      'INSERT INTO container_usage (id, size_rw, measured) SELECT id, ?, ? FROM containers WHERE id = ? ON CONFLICT(id) DO UPDATE SET size_rw = excluded.size_rw, measured = excluded.measured',
    ).run(sizeRw, measured, id);
    return info.changes > 0;
  }
}
