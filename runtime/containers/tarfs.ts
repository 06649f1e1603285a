import { constants, type Stats } from 'node:fs';
import { open, readdir, readlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { mountTarget, openDirAt, type Dir, type Located } from './confined.ts';
import type { ContainerView } from './view.ts';
import { lstatOrNull } from '../util/fs.ts';

type Header = Partial<tar.Header> & { name: string };

/** Regular files are opened without following a final link; O_NONBLOCK keeps a fifo swapped in from blocking the open. */
const FILE_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Linux's dev_t encoding (glibc gnu_dev_major/minor). */
function major(rdev: number): number {
  return Number(((BigInt(rdev) >> 8n) & 0xfffn) | ((BigInt(rdev) >> 32n) & ~0xfffn));
}
function minor(rdev: number): number {
  return Number((BigInt(rdev) & 0xffn) | ((BigInt(rdev) >> 12n) & ~0xffn));
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function addEntry(pack: tar.Pack, header: Header, data?: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null) => (err ? reject(err) : resolve());
    if (data) pipeline(data, pack.entry(header, done)).catch(reject);
    // A file entry given no buffer is a stream waiting for its end: an empty file gets an empty buffer.
    else if (header.type === 'file') pack.entry(header, Buffer.alloc(0), done);
    else pack.entry(header, done);
  });
}

interface Walker { pack: tar.Pack; view: ContainerView; links: Map<string, string> }

/** A regular file's entry, from the file as opened (its size and identity then), never through a link swapped in since the lstat. */
async function emitFile(w: Walker, header: Header, dir: Dir, base: string): Promise<void> {
  const fh = await open(dir.at(base), FILE_FLAGS).catch(() => null);
  if (fh === null) return; // gone or swapped for a link since readdir
  let st: Stats;
  try {
    st = await fh.stat();
    if (!st.isFile()) throw new Error('not a regular file');
  } catch {
    await fh.close();
    return;
  }
  if (st.nlink > 1) {
    const key = `${st.dev}:${st.ino}`;
    const first = w.links.get(key);
    if (first !== undefined) {
      await fh.close();
      return addEntry(w.pack, { ...header, type: 'link', linkname: first });
    }
    w.links.set(key, header.name);
  }
  const full = { ...header, mode: st.mode, uid: st.uid, gid: st.gid, mtime: st.mtime, type: 'file' as const, size: st.size };
  if (st.size === 0) {
    await fh.close();
    return addEntry(w.pack, full);
  }
  // Bounded by the size in the header: a file growing while it is read cannot break the tar.
  return addEntry(w.pack, full, fh.createReadStream({ start: 0, end: st.size - 1 }));
}

async function emit(w: Walker, name: string, dir: Dir, base: string, st: Stats): Promise<void> {
  // The full st_mode keeps the header mode non-zero, which tar-stream would otherwise replace by a default.
  const header: Header = { name, mode: st.mode, uid: st.uid, gid: st.gid, mtime: st.mtime };
  if (st.isDirectory()) return addEntry(w.pack, { ...header, type: 'directory' });
  if (st.isSymbolicLink()) {
    const linkname = await readlink(dir.at(base)).catch(() => null);
    // Gone or replaced since the lstat: left out, like an entry gone since readdir.
    return linkname === null ? undefined : addEntry(w.pack, { ...header, type: 'symlink', linkname });
  }
  if (st.isFile()) return emitFile(w, header, dir, base);
  if (st.isFIFO()) return addEntry(w.pack, { ...header, type: 'fifo' });
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    return addEntry(w.pack, { ...header, type: st.isCharacterDevice() ? 'character-device' : 'block-device', devmajor: major(st.rdev), devminor: minor(st.rdev) });
  }
  // Sockets cannot be carried by a tar; Docker leaves them out too.
}

/** Children of the open directory `dir`, each crossing into a mount whose destination it is. */
async function walk(w: Walker, path: string, dir: Dir, name: string): Promise<void> {
  const below = new Map(w.view.mountsBelow(path).map((m) => [m.dest, m]));
  for (const child of (await readdir(dir.at('.'))).sort(byteOrder)) {
    const childPath = path === '/' ? `/${child}` : `${path}/${child}`;
    const childName = name.endsWith('/') ? `${name}${child}` : `${name}/${child}`;
    const mount = below.get(childPath);
    const at = mount ? await mountTarget(mount) : { dir, name: child };
    try {
      const st = await lstatOrNull(at.dir.at(at.name));
      if (st === null) continue; // gone since readdir
      await emit(w, childName, at.dir, at.name, st);
      if (!st.isDirectory()) continue;
      const sub = await openDirAt(at.dir, at.name);
      if (sub === null) continue; // swapped for a link since the lstat: archived as it was seen
      try {
        await walk(w, childPath, sub, childName);
      } finally {
        await sub.close();
      }
    } finally {
      if (at.dir !== dir) await at.dir.close();
    }
  }
}

/**
 * A tar of one container path, as `GET /containers/{id}/archive` sends it: the entry itself named
 * `rebase`, then (for a directory) everything below it as `rebase/...`, parents first, with the
 * container's mounts laid over the rootfs. Symlinks are archived, never followed; every lookup
 * is made in a directory held open (confined.ts), so nothing swapped meanwhile leads out.
 */
export function packPath(view: ContainerView, at: Located, rebase: string): Readable {
  const pack = tar.pack();
  const w: Walker = { pack, view, links: new Map() };
  (async () => {
    const st = await lstatOrNull(at.dir.at(at.name));
    if (st === null) throw new Error(`${at.path}: no such file or directory`);
    await emit(w, rebase, at.dir, at.name, st);
    if (!st.isDirectory()) return;
    const sub = await openDirAt(at.dir, at.name);
    if (sub === null) return;
    try {
      await walk(w, at.path, sub, rebase);
    } finally {
      await sub.close();
    }
  })().then(() => pack.finalize(), (e: Error) => pack.destroy(e));
  return Readable.from(pack, { objectMode: false });
}
