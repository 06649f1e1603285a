import type { DB } from './db.ts';

/**
 * When a name was last pointed at an image on this engine (`docker tag`, import with a name):
 * Docker's `Metadata.LastTagTime`. Rows go with their image (ON DELETE CASCADE).
 */
export class ImageTagTimes {
  constructor(private readonly db: DB) {}

  touch(imageId: string, at = new Date()): void {
    this.db.prepare('INSERT INTO image_tag_times (image_id, at) VALUES (?, ?) ON CONFLICT(image_id) DO UPDATE SET at = excluded.at')
      .run(imageId, at.toISOString());
  }

  get(imageId: string): string | undefined {
    return (this.db.prepare('SELECT at FROM image_tag_times WHERE image_id = ?').get(imageId) as { at: string } | undefined)?.at;
  }
}
