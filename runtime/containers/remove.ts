import { rm } from 'node:fs/promises';
import { ConflictError } from '../errors.ts';
import type { ContainerContext } from './context.ts';
import { teardown } from './start.ts';
import { rootfsCheck } from './rootfs-mount.ts';
import { killAndWait } from './stop.ts';

/**
 * Docker's `rm`: refuse a running container unless forced; remove task, mounts, snapshot, files, record.
 * With `volumes` (`rm -v`, AutoRemove) its anonymous volumes go too, unless another container uses them.
 */
export async function removeContainer(ctx: ContainerContext, id: string, opts: { force: boolean; volumes?: boolean }): Promise<void> {
  let row = ctx.meta.get(id);
  if (!row) return;
  if ((row.state.Running || row.state.Restarting) && !opts.force) {
    const what = row.state.Paused ? 'paused' : row.state.Restarting ? 'restarting' : 'running';
    throw new ConflictError(`You cannot remove a ${what} container ${id}. Stop the container before attempting removal or force remove`);
  }
  if (row.state.Running) {
    ctx.meta.setRecord(id, row.name, { ...row.record, ManuallyStopped: true });
    await killAndWait(ctx, id);
  }
  const inherited: string[] = [];
  await ctx.lock.with(id, async () => {
    row = ctx.meta.get(id);
    if (!row) return;
    ctx.meta.setRecord(id, row.name, { ...row.record, ManuallyStopped: true });
    ctx.setState(id, { Status: 'removing', Restarting: false });
    // An exit already tore the run down; only a run interrupted half-way leaves something here.
    if (await ctx.tasks.hasState(id) || await rootfsCheck(ctx, id)(ctx.rootfs(id))) await teardown(ctx, id);
    await ctx.network.forget(id);
    await ctx.snapshots.remove(row.record.SnapshotKey);
    await ctx.logs.forget(id);
    await rm(ctx.dir(id), { recursive: true, force: true });
    ctx.meta.delete(id);
    inherited.push(...(row.record.VolumesFromMounts ?? []).flatMap((m) => (m.Type === 'volume' && m.Name ? [m.Name] : [])));
    ctx.events.publish('container', 'destroy', id, ctx.eventAttrs(row));
  });
  if (opts.volumes) await ctx.volumes.removeAnonymousOf(id, inherited);
  ctx.signals.emit(`removed:${id}`);
}
