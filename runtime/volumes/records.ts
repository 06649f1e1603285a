import type { DB } from '../metadata/db.ts';

export interface VolumeRow {
  name: string;
  driver: string;
  /** null when the volume was created without any (Docker shows `"Labels": null`). */
  labels: Record<string, string> | null;
  options: Record<string, string> | null;
  /** Unix seconds. */
  created: number;
  /** The container an anonymous volume was created for, and where it is mounted there. */
  owner: string | null;
  destination: string | null;
}

interface Raw { name: string; driver: string; labels: string; options: string; created: number; owner: string | null; destination: string | null }

const toRow = (r: Raw): VolumeRow => ({
  name: r.name,
  driver: r.driver,
  labels: JSON.parse(r.labels) as Record<string, string> | null,
  options: JSON.parse(r.options) as Record<string, string> | null,
  created: r.created,
  owner: r.owner,
  destination: r.destination,
});

/** Volume records in the metadata database; the data itself lives in `<root>/volumes/<name>/_data`. */
export class VolumeRecords {
  constructor(private readonly db: DB) {}

  get(name: string): VolumeRow | undefined {
    const r = this.db.prepare('SELECT * FROM volumes WHERE name = ?').get(name) as Raw | undefined;
    return r && toRow(r);
  }

  all(): VolumeRow[] {
    return (this.db.prepare('SELECT * FROM volumes ORDER BY name').all() as Raw[]).map(toRow);
  }

  ownedBy(containerId: string): VolumeRow[] {
    return (this.db.prepare('SELECT * FROM volumes WHERE owner = ? ORDER BY name').all(containerId) as Raw[]).map(toRow);
  }

  insert(row: VolumeRow): void {
    this.db.prepare('INSERT INTO volumes (name, driver, labels, options, created, owner, destination) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.name, row.driver, JSON.stringify(row.labels), JSON.stringify(row.options), row.created, row.owner, row.destination);
  }

  delete(name: string): void {
    this.db.prepare('DELETE FROM volumes WHERE name = ?').run(name);
  }
}
