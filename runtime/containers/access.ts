import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError, UnavailableError } from '../errors.ts';
import { mountAt, unmount } from '../mount/mount.ts';
import { rootfsCheck } from './rootfs-mount.ts';
import type { ContainerContext, Row } from './context.ts';
import { ContainerView, type ViewMount } from './view.ts';

/** The files Docker keeps outside the rootfs and binds into every container (start.ts, mounts.ts). */
const ENGINE_FILES = ['hostname', 'hosts', 'resolv.conf'];

async function engineFileMounts(ctx: ContainerContext, row: Row): Promise<ViewMount[]> {
  const taken = new Set(row.record.Mounts.map((m) => m.Destination));
  const out: ViewMount[] = [];
  for (const f of ENGINE_FILES) {
    const dest = `/etc/${f}`;
    const source = join(ctx.dir(row.id), f);
    if (taken.has(dest)) continue;
    try { await access(source); } catch { continue; }
    out.push({ dest, source, readOnly: !!row.record.HostConfig.ReadonlyRootfs });
  }
  return out;
}

/**
 * Run `fn` on the container's filesystem, running or not, with nothing else changing it:
 * the container's lock is held (no start, stop handling or removal meanwhile); a running
 * container is frozen so its processes cannot swap a directory for a symlink between our
 * lookup and our use (the docker cp race); a stopped one gets its rootfs mounted for the
 * duration.
 */
export async function withContainerFS<T>(ctx: ContainerContext, id: string, fn: (view: ContainerView, row: Row) => Promise<T>): Promise<T> {
  return ctx.lock.with(id, async () => {
    const row = ctx.meta.get(id);
    if (!row) throw new NotFoundError(`No such container: ${id}`);
    const rootfs = ctx.rootfs(id);
    let paused = false;
    let mounted = false;
    try {
      if (row.state.Running && !row.state.Paused) {
        paused = await ctx.tasks.pause(id).then(() => true, () => false);
      }
      if (!(await rootfsCheck(ctx, id)(rootfs))) {
        // A second mount of a live overlay's upper directory is undefined behaviour in the kernel.
        if (row.state.Running) throw new UnavailableError(`the root filesystem of running container ${id} is not mounted on the host`);
        await mountAt(ctx.snapshots.mounts(row.record.SnapshotKey), rootfs);
        mounted = true;
      }
      const view = await ContainerView.fromMountPoints(rootfs, row.record.Mounts, await engineFileMounts(ctx, row));
      return await fn(view, row);
    } finally {
      if (mounted) await unmount(rootfs, rootfsCheck(ctx, id)).catch(() => undefined);
      if (paused) await ctx.tasks.resume(id).catch(() => undefined);
    }
  });
}
