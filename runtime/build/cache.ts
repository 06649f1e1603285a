import type { DB } from '../metadata/db.ts';
import { sha256 } from '../util/digest.ts';

/** The classic builder's cache: (parent image, instruction, content hash) → the image it produced. */
export class BuildCache {
  constructor(private readonly db: DB) {}

  static key(parent: string, instruction: string, contentHash = ''): string {
    return sha256(Buffer.from(`${parent}\n${instruction}\n${contentHash}`));
  }

  get(key: string): string | undefined {
    const row = this.db.prepare('SELECT image_id FROM build_cache WHERE key = ?').get(key) as { image_id: string } | undefined;
    return row?.image_id;
  }

  put(key: string, imageId: string): void {
    this.db.prepare('INSERT OR REPLACE INTO build_cache (key, image_id) VALUES (?, ?)').run(key, imageId);
  }
}
