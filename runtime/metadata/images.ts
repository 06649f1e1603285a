import type { DB } from './db.ts';

export interface LayerRecord {
  /** Blob digest in the content store (compressed or not, as it came). */
  digest: string;
  mediaType: string;
  size: number;
  diffID: string;
  uncompressedSize: number;
}

export interface ImageRow {
  id: string;
  manifestDigest: string | null;
  layers: LayerRecord[];
  size: number;
  created: number;
  added: number;
}

interface RawImageRow { id: string; manifest_digest: string | null; layers: string; size: number; created: number; added: number }

const toRow = (r: RawImageRow): ImageRow => ({ id: r.id, manifestDigest: r.manifest_digest, layers: JSON.parse(r.layers) as LayerRecord[], size: r.size, created: r.created, added: r.added });

/** Image records and their names (tags and digests). */
export class ImageMetadata {
  constructor(private readonly db: DB) {}

  get(id: string): ImageRow | undefined {
    const r = this.db.prepare('SELECT * FROM images WHERE id = ?').get(id) as RawImageRow | undefined;
    return r && toRow(r);
  }

  all(): ImageRow[] {
    return (this.db.prepare('SELECT * FROM images ORDER BY created DESC').all() as RawImageRow[]).map(toRow);
  }

  /** Ids whose hex starts with `prefix` (for short-id lookups). */
  byPrefix(prefix: string): string[] {
    return (this.db.prepare("SELECT id FROM images WHERE id >= ? AND id < ? LIMIT 2").all(`sha256:${prefix}`, `sha256:${prefix}\uffff`) as { id: string }[]).map((r) => r.id);
  }

  put(row: ImageRow): void {
    this.db.prepare(`INSERT INTO images (id, manifest_digest, layers, size, created, added) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET manifest_digest = COALESCE(excluded.manifest_digest, manifest_digest)`)
      .run(row.id, row.manifestDigest, JSON.stringify(row.layers), row.size, row.created, row.added);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM images WHERE id = ?').run(id);
  }

  tagged(ref: string): string | undefined {
    return (this.db.prepare('SELECT image_id FROM image_tags WHERE ref = ?').get(ref) as { image_id: string } | undefined)?.image_id;
  }

  /** Point `ref` at `imageId`; returns the image it pointed at before, if any. */
  setTag(ref: string, imageId: string): string | undefined {
    const prev = this.tagged(ref);
    this.db.prepare('INSERT INTO image_tags (ref, image_id) VALUES (?, ?) ON CONFLICT(ref) DO UPDATE SET image_id = excluded.image_id').run(ref, imageId);
    return prev;
  }

  deleteTag(ref: string): void {
    this.db.prepare('DELETE FROM image_tags WHERE ref = ?').run(ref);
  }

  tags(imageId: string): string[] {
    return (this.db.prepare('SELECT ref FROM image_tags WHERE image_id = ? ORDER BY ref').all(imageId) as { ref: string }[]).map((r) => r.ref);
  }

  digestRef(ref: string): string | undefined {
    return (this.db.prepare('SELECT image_id FROM image_digests WHERE ref = ?').get(ref) as { image_id: string } | undefined)?.image_id;
  }

  setDigestRef(ref: string, imageId: string): void {
    this.db.prepare('INSERT INTO image_digests (ref, image_id) VALUES (?, ?) ON CONFLICT(ref) DO UPDATE SET image_id = excluded.image_id').run(ref, imageId);
  }

  deleteDigestRef(ref: string): void {
    this.db.prepare('DELETE FROM image_digests WHERE ref = ?').run(ref);
  }

  digests(imageId: string): string[] {
    return (this.db.prepare('SELECT ref FROM image_digests WHERE image_id = ? ORDER BY ref').all(imageId) as { ref: string }[]).map((r) => r.ref);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
