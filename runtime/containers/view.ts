import { realpath } from 'node:fs/promises';
import { posix } from 'node:path';
import type { MountPoint } from './types.ts';

/** A bind or volume as the container sees it: `dest` inside, `source` on the host. */
export interface ViewMount { dest: string; source: string; readOnly: boolean }

/**
 * The container's filesystem as its processes see it, described on the host: the rootfs with
 * the container's binds and volumes laid over it, without mounting anything. Lookups in it go
 * through ConfinedFS (confined.ts), which crosses into a mount's source wherever the resolved
 * path reaches its destination, as the kernel would.
 */
export class ContainerView {
  private readonly byDest: Map<string, ViewMount>;

  constructor(readonly rootfs: string, readonly mounts: readonly ViewMount[]) {
    this.byDest = new Map(mounts.map((m) => [m.dest, m]));
  }

  /** Binds and volumes of a container record; the source of each is taken as the kernel saw it when mounting. */
  static async fromMountPoints(rootfs: string, points: readonly MountPoint[], extra: ViewMount[] = []): Promise<ContainerView> {
    const mounts: ViewMount[] = [...extra];
    for (const m of points) {
      if (m.Type === 'tmpfs' || !m.Source) continue; // lives only in the container's mount namespace
      const source = await realpath(m.Source).catch(() => undefined);
      if (source) mounts.push({ dest: posix.normalize(`/${m.Destination}`).replace(/\/+$/, '') || '/', source, readOnly: !m.RW });
    }
    return new ContainerView(rootfs, mounts);
  }

  /** The mount whose destination is exactly the clean container path `path`. */
  mountAt(path: string): ViewMount | undefined {
    return this.byDest.get(path);
  }

  /** Mounts whose destination lies strictly below `path`. */
  mountsBelow(path: string): ViewMount[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    return this.mounts.filter((m) => m.dest !== path && m.dest.startsWith(prefix));
  }
}
