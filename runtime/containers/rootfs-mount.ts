import { hasForeignMount, isMountPoint } from '../mount/mount.ts';
import type { ContainerContext } from './context.ts';

/**
 * How to tell whether a container's rootfs is mounted: an overlay by its device (two stats,
 * whatever the number of mounts on the host), a bind rootfs (an image without layers) by the
 * mount table, as is a container whose snapshot is already gone.
 */
export function rootfsCheck(ctx: ContainerContext, id: string): (target: string) => Promise<boolean> {
  const key = ctx.meta.get(id)?.record.SnapshotKey;
  try {
    if (key && ctx.snapshots.mounts(key).type === 'overlay') return hasForeignMount;
  } catch {
    // No such snapshot: the mount table answers.
  }
  return isMountPoint;
}
