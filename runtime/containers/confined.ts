import { constants } from 'node:fs';
import { mkdir, open, readlink, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';
import { lstatOrNull } from '../util/fs.ts';
import type { ContainerView, ViewMount } from './view.ts';

/*
 * Why file descriptors, and why through /proc: a lookup by host path (lstat each component, then
 * open the joined path) races with any process that can swap a component for a symlink between
 * the check and the use — another container on a shared volume, say — and the kernel then
 * follows that link out of the container. Node has no openat(2), but a path of the form
 * `/proc/<pid>/fd/<n>/<name>` makes the kernel start at the directory held open as fd n and
 * look up that one name in it: exactly openat(n, name). Walking a container path one component
 * at a time from held directory descriptors, opening each with O_NOFOLLOW and reading every
 * symlink ourselves (re-rooted at the container's root, as RESOLVE_IN_ROOT and Docker's
 * securejoin do), no component is ever resolved by the kernel from a name another process can
 * change. This keeps every call on libuv's pool (no synchronous FFI on the event loop), needs no
 * native dependency, and, unlike a copy in a process chrooted into the rootfs, sees the
 * container's volumes and binds, which are not mounted under its rootfs on the host, and keeps
 * the host's tools (mknod, setfattr) usable on the descriptors.
 */

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
/** Linux gives up after 40 links per lookup; a whole container path may chain more, so allow as many as securejoin does. */
const MAX_SYMLINKS = 255;
/** A component swapped between our lstat and our open is looked up again, this many times at most. */
const MAX_RETRIES = 1000;

/** A directory held open: names are looked up in it, never by a path from the host's root. */
export class Dir {
  constructor(readonly handle: FileHandle) {}

  /** A path naming `name` inside this directory, for this process and for helper processes it runs. */
  at(name: string): string {
    return `/proc/${process.pid}/fd/${this.handle.fd}/${name}`;
  }

  close(): Promise<void> {
    return this.handle.close().catch(() => undefined);
  }
}

/** Opens a directory by a trusted host path (a rootfs, a mount's source), following links in it. */
export async function openHostDir(path: string): Promise<Dir> {
  return new Dir(await open(path, constants.O_RDONLY | constants.O_DIRECTORY));
}

/** Opens the directory `name` inside `dir` without following a symlink; null if it is not (or no longer) one. */
export async function openDirAt(dir: Dir, name: string): Promise<Dir | null> {
  try {
    return new Dir(await open(dir.at(name), DIR_FLAGS));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'ENOTDIR' || code === 'ENOENT') return null;
    throw e;
  }
}

/** Where a container path leads: the directory holding it and its name there. */
export interface Located {
  /** The directory that holds the target; `name` is `.` when the target is that directory itself. */
  dir: Dir;
  name: string;
  /** Clean absolute path inside the container. */
  path: string;
  /** The volume or bind the target lives on, if any. */
  mount?: ViewMount;
  /** Closes the directories opened for this lookup. */
  close(): Promise<void>;
}

export interface ResolveOptions {
  /** Follow a symlink in the final component too (also implied by a trailing `/` or `/.`). */
  follow: boolean;
  /** Create missing intermediate directories (mode 0755); called first with the mount they would be made on. */
  create?: (mount: ViewMount | undefined) => void;
}

interface Step { dir: Dir; name: string; mount?: ViewMount }

/**
 * The directory a mount's destination shows: its source, or the directory holding a file bind.
 * Mount sources are host paths fixed when the container was created, hence trusted.
 */
export async function mountTarget(m: ViewMount): Promise<{ dir: Dir; name: string }> {
  const st = await stat(m.source);
  if (st.isDirectory()) return { dir: await openHostDir(m.source), name: '.' };
  return { dir: await openHostDir(dirname(m.source)), name: basename(m.source) };
}


/**
 * Resolves `unsafePath` in the container like Docker's ResolvePath: `..` stops at the root,
 * absolute symlinks restart at the container's root, and a path reaching a mount's destination
 * continues in its source. A missing final component is returned as it is (the caller finds it
 * missing); a missing or non-directory intermediate component gives null, unless `create`.
 */
export async function resolveIn(view: ContainerView, unsafePath: string, o: ResolveOptions): Promise<Located | null> {
  const follow = o.follow || /\/\.?$/.test(unsafePath);
  const opened: Dir[] = [];
  const close = async () => { await Promise.all(opened.map((d) => d.close())); };
  const track = (d: Dir) => { opened.push(d); return d; };
  const missing = async () => { await close(); return null; };
  try {
    const root = track(await openHostDir(view.rootfs));
    const stack: Step[] = [];
    const top = (): Step => stack.at(-1) ?? { dir: root, name: '' };
    const pathOf = (extra?: string) => `/${[...stack.map((s) => s.name), ...(extra === undefined ? [] : [extra])].join('/')}`;
    const done = (dir: Dir, name: string, path: string, mount?: ViewMount): Located => ({ dir, name, path, mount, close });
    const pending = unsafePath.split('/').reverse();
    let links = 0;
    let retries = 0;
    const retry = () => {
      if (++retries > MAX_RETRIES) throw new InvalidArgumentError(`path "${unsafePath}" keeps changing while it is resolved`);
    };
    while (pending.length > 0) {
      const part = pending.pop()!;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        stack.pop();
        continue;
      }
      const last = !pending.some((p) => p !== '' && p !== '.');
      const path = pathOf(part);
      const here = top();
      const mount = view.mountAt(path);
      if (mount) {
        const t = await mountTarget(mount);
        track(t.dir);
        if (last) return done(t.dir, t.name, path, mount);
        if (t.name !== '.') return missing(); // a file bind cannot hold anything
        stack.push({ dir: t.dir, name: part, mount });
        continue;
      }
      if (last && !follow) return done(here.dir, part, path, here.mount);
      const at = here.dir.at(part);
      const st = await lstatOrNull(at);
      if (st === null) {
        if (last) return done(here.dir, part, path, here.mount);
        if (!o.create) return missing();
        o.create(here.mount);
        retry();
        await mkdir(at, 0o755).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'EEXIST') throw e; });
        pending.push(part);
        continue;
      }
      if (st.isSymbolicLink()) {
        const target = await readlink(at).catch(() => null);
        if (target === null) {
          retry(); // no longer a link: look at it again
          pending.push(part);
          continue;
        }
        if (++links > MAX_SYMLINKS) throw new InvalidArgumentError(`path "${unsafePath}": too many levels of symbolic links`);
        if (target.startsWith('/')) stack.length = 0;
        pending.push(...target.split('/').reverse());
        continue;
      }
      if (last) return done(here.dir, part, path, here.mount);
      if (!st.isDirectory()) return missing();
      const next = await openDirAt(here.dir, part);
      if (next === null) {
        retry(); // swapped since the lstat: look at it again
        pending.push(part);
        continue;
      }
      stack.push({ dir: track(next), name: part, mount: here.mount });
    }
    const here = top();
    return done(here.dir, '.', pathOf(), here.mount);
  } catch (e) {
    await close();
    throw e;
  }
}
