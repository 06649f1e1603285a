import type { Stats } from 'node:fs';
import { posix } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../errors.ts';
import type { ContainerContext } from './context.ts';
import { withContainerFS } from './access.ts';
import { extractInto, type ExtractOptions } from './extract.ts';
import { packPath } from './tarfs.ts';
import type { ContainerView, ViewMount } from './view.ts';
import { resolveIn, type Located } from './confined.ts';
import { lstatOrNull } from '../util/fs.ts';

/** Docker's ContainerPathStat, sent base64-encoded in `X-Docker-Container-Path-Stat`. */
export interface PathStat {
  name: string;
  size: number;
  /** Go's os.FileMode: permission bits plus Go's own type bits, which the docker CLI tests. */
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** Go's os.FileMode bits for a Unix st_mode. */
export function goFileMode(st: Stats): number {
  let m = st.mode & 0o777;
  if (st.isDirectory()) m |= 2 ** 31;
  else if (st.isSymbolicLink()) m |= 2 ** 27;
  else if (st.isFIFO()) m |= 2 ** 25;
  else if (st.isSocket()) m |= 2 ** 24;
  else if (st.isBlockDevice()) m |= 2 ** 26;
  else if (st.isCharacterDevice()) m |= 2 ** 26 | 2 ** 21;
  if (st.mode & 0o4000) m |= 2 ** 23;
  if (st.mode & 0o2000) m |= 2 ** 22;
  if (st.mode & 0o1000) m |= 2 ** 20;
  return m >>> 0;
}

function notFound(path: string, container: string): NotFoundError {
  return new NotFoundError(`Could not find the file ${path} in container ${container}`);
}

function checkPath(path: string): string {
  if (!path) throw new InvalidArgumentError('path: must not be empty');
  if (path.includes('\0')) throw new InvalidArgumentError('path: NUL in path');
  return path.startsWith('/') ? path : `/${path}`;
}

/** Resolves a container path or answers Docker's 404. */
async function locate(view: ContainerView, path: string, follow: boolean, container: string): Promise<Located> {
  const at = await resolveIn(view, path, { follow });
  if (at === null) throw notFound(path, container);
  return at;
}

/** Docker's ResolvePath + StatPath: the final component is not followed, but a symlink reports where it leads. */
async function statIn(view: ContainerView, path: string, container: string): Promise<{ stat: PathStat; at: Located }> {
  const at = await locate(view, path, false, container);
  try {
    const st = await lstatOrNull(at.dir.at(at.name));
    if (st === null) throw notFound(path, container);
    let linkTarget = '';
    if (st.isSymbolicLink()) {
      const target = await locate(view, path, true, container);
      linkTarget = target.path;
      await target.close();
    }
    const base = posix.basename(path.replace(/\/+$/, '')) || '/';
    const name = /\/\.$/.test(path) ? '.' : base;
    return { stat: { name, size: st.size, mode: goFileMode(st), mtime: st.mtime.toISOString(), linkTarget }, at };
  } catch (e) {
    await at.close();
    throw e;
  }
}

export async function statPath(ctx: ContainerContext, id: string, path: string, container: string): Promise<PathStat> {
  const p = checkPath(path);
  return withContainerFS(ctx, id, async (view) => {
    const { stat, at } = await statIn(view, p, container);
    await at.close();
    return stat;
  });
}

/**
 * `GET /containers/{id}/archive`: the path's stat and a tar of it. Entries are named after the
 * path as asked for (`/a/link/.` gives `./...`), whatever a symlink on the way resolved to.
 * The container stays locked (and frozen, when running) until the tar has been read.
 */
export function archivePath(ctx: ContainerContext, id: string, path: string, container: string): Promise<{ stat: PathStat; tar: Readable }> {
  const p = checkPath(path);
  return new Promise((resolve, reject) => {
    withContainerFS(ctx, id, async (view) => {
      const { stat, at } = await statIn(view, p, container);
      try {
        // The root is sent as `/`, `/bin`...: the CLI renames entries by the stat name, and `/` is its special case.
        const out = new PassThrough();
        const done = new Promise<void>((r) => { out.on('close', r); out.on('end', r); out.on('error', () => r()); });
        const tar = packPath(view, at, stat.name);
        tar.on('error', (e) => out.destroy(e));
        tar.pipe(out);
        resolve({ stat, tar: out });
        await done;
      } finally {
        await at.close();
      }
    }).catch(reject);
  });
}

/**
 * `PUT /containers/{id}/archive`: extract a tar into a directory of the container. Every entry
 * is resolved in the container (its symlinks, its mounts) from directories held open, and
 * refused where it would land on a read-only volume or rootfs.
 */
export async function extractToContainer(ctx: ContainerContext, id: string, path: string, src: Readable, opts: ExtractOptions, container: string): Promise<void> {
  const p = checkPath(path);
  await withContainerFS(ctx, id, async (view, row) => {
    // The final component is followed too, so a symlink to a directory is a fine destination.
    const at = await locate(view, p, true, container);
    try {
      const st = await lstatOrNull(at.dir.at(at.name));
      if (st === null) throw notFound(p, container);
      if (!st.isDirectory()) throw new InvalidArgumentError('extraction point is not a directory');
    } finally {
      await at.close();
    }
    const readonlyRootfs = !!row.record.HostConfig.ReadonlyRootfs;
    const writable = (mount: ViewMount | undefined): void => {
      if (mount?.readOnly) throw new FailedPreconditionError('mounted volume is marked read-only');
      if (!mount && readonlyRootfs) throw new FailedPreconditionError('container rootfs is marked read-only');
    };
    writable(at.mount);
    await extractInto(src, view, at.path, { ...opts, writable, user: row.record.Config.User, spoolDir: ctx.dir(id) });
    ctx.events.publish('container', 'extract-to-dir', id, ctx.eventAttrs(row));
  });
}
