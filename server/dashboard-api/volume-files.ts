import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, readlink, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { InvalidArgumentError, NotFoundError, secureJoin } from '../../runtime/index.ts';
import type { VolumeEntry, VolumeEntryType, VolumeListing } from '../protocol/index.ts';

/**
 * Read-only access to a volume's `_data` for the dashboard. Containers may change the tree
 * while we read it, so every file or directory we open is opened without following a final
 * symlink and then checked, through /proc/self/fd, to still be inside the volume.
 */

/** `?path=` made absolute and lexically clean: `..` stops at the volume's root. */
export function volumePath(raw: string | null): string {
  if (raw === null || raw === '') return '/';
  if (raw.includes('\0')) throw new InvalidArgumentError('path must not contain NUL bytes', { field: 'path' });
  if (raw.length > 4096) throw new InvalidArgumentError('path is longer than 4096 characters', { field: 'path' });
  return path.posix.normalize(`/${raw}`).replace(/(.)\/$/, '$1');
}

function typeOf(st: Stats): VolumeEntryType {
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

const modeOf = (st: Stats) => (st.mode & 0o7777).toString(8).padStart(3, '0');
const fdPath = (fh: FileHandle) => `/proc/self/fd/${fh.fd}`;

/** Opens `host` (never through a final symlink) and proves the opened inode lies inside `data`. */
async function openConfined(data: string, host: string, shown: string, dir: boolean): Promise<FileHandle> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | (dir ? constants.O_DIRECTORY : 0);
  let fh: FileHandle;
  try {
    fh = await open(host, flags);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`path ${shown}: no such file or directory`, { field: 'path' });
    if (code === 'ENOTDIR') throw new InvalidArgumentError(`path ${shown} is not a directory`, { field: 'path' });
    if (code === 'ELOOP') throw new InvalidArgumentError(`path ${shown} is a symbolic link`, { field: 'path' });
    throw err;
  }
  const real = await readlink(fdPath(fh)).catch(() => '');
  if (real !== data && !real.startsWith(`${data}/`)) {
    await fh.close();
    throw new NotFoundError(`path ${shown}: no such file or directory`, { field: 'path' });
  }
  return fh;
}

async function entryOf(dirFd: string, name: string): Promise<VolumeEntry | undefined> {
  const st = await lstat(`${dirFd}/${name}`).catch(() => undefined);
  if (!st) return undefined; // gone since readdir
  const entry: VolumeEntry = { name, type: typeOf(st), size: st.size, mode: modeOf(st), mtime: st.mtime.toISOString() };
  if (st.isSymbolicLink()) entry.linkTarget = await readlink(`${dirFd}/${name}`).catch(() => '');
  return entry;
}

/** The directory at `shown` (already normalised) inside `data`: directories first, then by name. */
export async function listDirectory(volumeData: string, shown: string): Promise<VolumeListing> {
  // /proc/self/fd shows resolved paths, so the root they are compared with must be resolved too.
  const data = await realpath(volumeData);
  const fh = await openConfined(data, await secureJoin(data, shown), shown, true);
  try {
    const names = await readdir(fdPath(fh));
    const entries = (await Promise.all(names.map((n) => entryOf(fdPath(fh), n)))).filter((e): e is VolumeEntry => e !== undefined);
    entries.sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { path: shown, entries };
  } finally {
    await fh.close();
  }
}

export type Download = { kind: 'file'; size: number; stream: Readable } | { kind: 'dir'; stream: Readable };

/** A file's bytes or a directory's tar. The last component is never followed: a symlink is refused. */
export async function openDownload(volumeData: string, shown: string): Promise<Download> {
  const data = await realpath(volumeData);
  const host = shown === '/' ? data : path.join(await secureJoin(data, path.posix.dirname(shown)), path.posix.basename(shown));
  const st = await lstat(host).catch(() => undefined);
  if (!st) throw new NotFoundError(`path ${shown}: no such file or directory`, { field: 'path' });
  if (st.isSymbolicLink()) throw new InvalidArgumentError(`path ${shown} is a symbolic link; download what it points to instead`, { field: 'path' });
  if (st.isDirectory()) {
    const fh = await openConfined(data, host, shown, true);
    await fh.close();
    return { kind: 'dir', stream: packDirectory(data, host, shown === '/' ? '' : path.posix.basename(shown)) };
  }
  if (!st.isFile()) throw new InvalidArgumentError(`path ${shown} is not a regular file or directory`, { field: 'path' });
  const fh = await openConfined(data, host, shown, false);
  const now = await fh.stat();
  if (!now.isFile()) {
    await fh.close();
    throw new InvalidArgumentError(`path ${shown} is not a regular file or directory`, { field: 'path' });
  }
  return { kind: 'file', size: now.size, stream: fh.createReadStream() };
}

/**
 * Adds one entry and settles when the pack has taken it. A file entry is a stream that must
 * be ended even when empty (else the tar never finishes), and every stream involved gets an
 * error handler: a download the client abandons destroys the pack, and the entry it was
 * writing then fails with "premature close", which must reject here, not crash the process.
 */
function addEntry(pack: tar.Pack, header: Partial<tar.Header> & { name: string }, data?: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    let entry: ReturnType<tar.Pack['entry']>;
    try {
      entry = pack.entry(header, (err) => (err ? reject(err) : resolve()));
    } catch (err) {
      // The pack is gone (the client left): the file opened for this entry is closed here.
      data?.destroy();
      throw err;
    }
    entry.on('error', (err: Error) => {
      data?.destroy();
      reject(err);
    });
    if (data) data.on('error', reject).pipe(entry);
    else if (header.type === 'file') entry.end(Buffer.alloc(0));
  });
}

/** Opens `name` inside the directory held as `dir`, never through a symlink: openat(dir, name, O_NOFOLLOW). */
function openAt(dir: FileHandle, name: string, isDir: boolean): Promise<FileHandle | null> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | (isDir ? constants.O_DIRECTORY : 0);
  return open(`${fdPath(dir)}/${name}`, flags).catch(() => null);
}

/**
 * A tar of the directory `host`, entries named `<prefix>/...`; symlinks are archived as links,
 * sockets and devices left out. Below the first directory (checked to be inside the volume),
 * every name is looked up in its parent held open (`/proc/self/fd/<n>/<name>`), so a container
 * swapping a directory for a symlink meanwhile cannot lead the walk out of the volume.
 */
function packDirectory(data: string, host: string, prefix: string): Readable {
  const pack = tar.pack();
  const named = (rel: string) => [prefix, rel].filter(Boolean).join('/');
  const walk = async (dir: FileHandle, rel: string): Promise<void> => {
    const names = (await readdir(fdPath(dir))).sort();
    for (const name of names) {
      const childRel = rel ? `${rel}/${name}` : name;
      const st = await lstat(`${fdPath(dir)}/${name}`).catch(() => undefined);
      if (!st) continue;
      const header = { name: named(childRel), mode: st.mode & 0o7777, mtime: st.mtime, uid: st.uid, gid: st.gid };
      if (st.isDirectory()) {
        const sub = await openAt(dir, name, true);
        if (!sub) continue; // swapped for something else since the lstat
        try {
          await addEntry(pack, { ...header, type: 'directory' });
          await walk(sub, childRel);
        } finally {
          await sub.close();
        }
      } else if (st.isSymbolicLink()) {
        await addEntry(pack, { ...header, type: 'symlink', linkname: await readlink(`${fdPath(dir)}/${name}`) });
      } else if (st.isFile()) {
        const fh = await openAt(dir, name, false);
        if (!fh) continue;
        const now = await fh.stat();
        if (!now.isFile() || now.size === 0) await fh.close();
        if (!now.isFile()) continue;
        // Bounded by the size in the header: a file growing while it is read cannot break the tar.
        await addEntry(pack, { ...header, type: 'file', size: now.size }, now.size === 0 ? undefined : fh.createReadStream({ start: 0, end: now.size - 1 }));
      }
    }
  };
  (async () => {
    const top = await openConfined(data, host, `/${prefix}`, true);
    try {
      if (prefix) {
        const st = await top.stat();
        await addEntry(pack, { name: prefix, type: 'directory', mode: st.mode & 0o7777, mtime: st.mtime, uid: st.uid, gid: st.gid });
      }
      await walk(top, '');
    } finally {
      await top.close();
    }
    pack.finalize();
  })().catch((err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))));
  return Readable.from(pack, { objectMode: false });
}
