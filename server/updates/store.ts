import type { DashboardDb } from '../auth/db.ts';
import type { ContainerRollback, ImageUpdate } from '../protocol/index.ts';

interface UpdateRow { reference: string; image_id: string; local_digest: string | null; remote_digest: string | null; status: ImageUpdate['status']; error: string | null; checked_at: string }
interface RollbackRow { container_name: string; reference: string; previous_image: string; updated_at: string }

/** Update check results and roll-back points in dashboard.db. */
export class UpdateStore {
  constructor(private readonly db: DashboardDb) {}

  list(): ImageUpdate[] {
    return (this.db.prepare('SELECT * FROM image_updates ORDER BY reference, image_id').all() as UpdateRow[]).map((r) => ({
      reference: r.reference, imageId: r.image_id, localDigest: r.local_digest, remoteDigest: r.remote_digest,
      status: r.status, error: r.error, checkedAt: r.checked_at,
    }));
  }

  /** Replaces every result with those of one complete check, in one transaction. */
  replaceAll(results: ImageUpdate[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM image_updates').run();
      for (const r of results) this.put(r);
    })();
  }

  put(r: ImageUpdate): void {
    this.db.prepare(`INSERT INTO image_updates (reference, image_id, local_digest, remote_digest, status, error, checked_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (reference, image_id) DO UPDATE SET local_digest = excluded.local_digest, remote_digest = excluded.remote_digest,
        status = excluded.status, error = excluded.error, checked_at = excluded.checked_at`)
      .run(r.reference, r.imageId, r.localDigest, r.remoteDigest, r.status, r.error, r.checkedAt);
  }

  rollbacks(): ContainerRollback[] {
    return (this.db.prepare('SELECT * FROM container_rollbacks ORDER BY container_name').all() as RollbackRow[]).map(toRollback);
  }

  rollback(containerName: string): ContainerRollback | undefined {
    const row = this.db.prepare('SELECT * FROM container_rollbacks WHERE container_name = ?').get(containerName) as RollbackRow | undefined;
    return row && toRollback(row);
  }

  setRollback(r: Omit<ContainerRollback, 'updatedAt'>): void {
    this.db.prepare(`INSERT INTO container_rollbacks (container_name, reference, previous_image, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (container_name) DO UPDATE SET reference = excluded.reference, previous_image = excluded.previous_image, updated_at = excluded.updated_at`)
      .run(r.containerName, r.reference, r.previousImage, new Date().toISOString());
  }

  clearRollback(containerName: string): void {
    this.db.prepare('DELETE FROM container_rollbacks WHERE container_name = ?').run(containerName);
  }
}

function toRollback(r: RollbackRow): ContainerRollback {
  return { containerName: r.container_name, reference: r.reference, previousImage: r.previous_image, updatedAt: r.updated_at };
}
