import { rm } from 'node:fs/promises';
import { isMountPoint, mountAt, unmount } from '../mount/mount.ts';
import type { ContainerContext, Row } from './context.ts';
import { resolveMounts } from './mounts.ts';
import type { ContainerRecord } from './types.ts';

/** Whether a mount of the record may need the image's content (copy-up into a fresh volume). */
function asksForVolumes(rec: ContainerRecord): boolean {
  const h = rec.HostConfig;
  return Object.keys(rec.Config.Volumes ?? {}).length > 0
    || (h.Binds ?? []).some((b) => !b.startsWith('/'))
    || (h.Mounts ?? []).some((m) => m.Type === 'volume');
}

/**
 * dockerd resolves a container's mounts at create: its volumes (an anonymous one for each
 * image `VOLUME` and `Config.Volumes` path nothing else covers) exist from then on, hold the
 * image's content at their path, count as in use, and `inspect`, `cp` and `--volumes-from`
 * see them before the first start. The caller records the container first, so a crash in
 * between leaves volumes that belong to a container (and go with `rm -v`), never strays.
 */
export async function createMounts(ctx: ContainerContext, row: Row): Promise<void> {
  const { id } = row;
  const rec = row.record;
  const rootfs = ctx.rootfs(id);
  let mounted = false;
  try {
    if (asksForVolumes(rec) && !(await isMountPoint(rootfs))) {
      await mountAt(ctx.snapshots.mounts(rec.SnapshotKey), rootfs);
      mounted = true;
    }
    const { points } = await resolveMounts(rec.HostConfig, ctx.dir(id), ctx.volumes, id, rec.Config.Volumes, rec.VolumesFromMounts);
    ctx.meta.setRecord(id, row.name, { ...rec, Mounts: points });
  } finally {
    if (mounted) await unmount(rootfs).catch(() => undefined);
  }
}

/** Undo a create that failed after the record was written: record, the volumes it made, files, snapshot. */
export async function abandonCreate(ctx: ContainerContext, row: Row): Promise<void> {
  ctx.meta.delete(row.id);
  await ctx.volumes.removeAnonymousOf(row.id).catch(() => undefined);
  if (await isMountPoint(ctx.rootfs(row.id))) await unmount(ctx.rootfs(row.id)).catch(() => undefined);
  // Never delete through a rootfs that is still mounted: that would write whiteouts, not free anything.
  if (!(await isMountPoint(ctx.rootfs(row.id)))) await rm(ctx.dir(row.id), { recursive: true, force: true });
  await ctx.snapshots.remove(row.record.SnapshotKey);
}
