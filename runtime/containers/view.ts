import { readlink, realpath } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';
import type { MountPoint } from './types.ts';
import { lstatOrNull } from '../util/fs.ts';

/** A bind or volume as the container sees it: `dest` inside, `source` on the host. */
export interface ViewMount { dest: string; source: string; readOnly: boolean }

/** A container path resolved to the host: where it is, and which mount (if any) holds it. */
export interface Resolved {
  /** Clean absolute path inside the container. */
  path: string;
  host: string;
  mount?: ViewMount;
}

const MAX_SYMLINKS = 255;


/**
 * The container's filesystem as its processes see it, built on the host: the rootfs with the
 * container's binds and volumes laid over it, without mounting anything. Paths resolve like
 * secureJoin (util/securejoin.ts), chroot semantics, and additionally cross into a mount's
 * source wherever the resolved path reaches its destination, as the kernel would.
 */
export class ContainerView {
  private readonly mounts: ViewMount[];

  constructor(readonly rootfs: string, mounts: ViewMount[]) {
    // Longest destination first, so the innermost mount wins.
    this.mounts = [...mounts].sort((a, b) => b.dest.length - a.dest.length);
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

  /** Host path of a clean container path whose components are all known not to be symlinks. */
  hostOf(path: string): { host: string; mount?: ViewMount } {
    for (const m of this.mounts) {
      if (path === m.dest) return { host: m.source, mount: m };
      if (path.startsWith(`${m.dest}/`)) return { host: join(m.source, path.slice(m.dest.length)), mount: m };
    }
    return { host: join(this.rootfs, path) };
  }

  /** Mounts whose destination lies strictly below `path`. */
  mountsBelow(path: string): ViewMount[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    return this.mounts.filter((m) => m.dest !== path && m.dest.startsWith(prefix));
  }

  /**
   * Resolve `unsafePath` in the container. Symlinks on the way are followed inside the
   * container; the final component is followed only with `followFinal` (or a trailing `/`
   * or `/.`). Missing components
   * are kept as they are.
   */
  async resolve(unsafePath: string, followFinal: boolean): Promise<Resolved> {
    // `dir/` and `dir/.` name what a final symlink leads to, as in Docker's ResolvePath.
    const follow = followFinal || /\/\.?$/.test(unsafePath);
    const pending = unsafePath.split('/').reverse();
    const resolved: string[] = [];
    let links = 0;
    while (pending.length > 0) {
      const part = pending.pop()!;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        resolved.pop();
        continue;
      }
      resolved.push(part);
      if (!follow && !pending.some((p) => p !== '' && p !== '.')) break;
      const { host } = this.hostOf(`/${resolved.join('/')}`);
      const st = await lstatOrNull(host);
      if (st === null || !st.isSymbolicLink()) continue;
      if (++links > MAX_SYMLINKS) throw new InvalidArgumentError(`path "${unsafePath}": too many levels of symbolic links`);
      const target = await readlink(host);
      resolved.pop();
      if (target.startsWith('/')) resolved.length = 0;
      pending.push(...target.split('/').reverse());
    }
    const path = `/${resolved.join('/')}`;
    return { path, ...this.hostOf(path) };
  }
}
