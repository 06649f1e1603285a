import type { Stats } from 'node:fs';
import { createReadStream } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { ContainerView } from './view.ts';
import { lstatOrNull } from '../util/fs.ts';

type Header = Partial<tar.Header> & { name: string };

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
    else pack.entry(header, done);
  });
}

interface Walker { pack: tar.Pack; view: ContainerView; links: Map<string, string> }

async function emit(w: Walker, name: string, host: string, st: Stats): Promise<void> {
  // The full st_mode keeps the header mode non-zero, which tar-stream would otherwise replace by a default.
  const header: Header = { name, mode: st.mode, uid: st.uid, gid: st.gid, mtime: st.mtime };
  if (st.isDirectory()) return addEntry(w.pack, { ...header, type: 'directory' });
  if (st.isSymbolicLink()) return addEntry(w.pack, { ...header, type: 'symlink', linkname: await readlink(host) });
  if (st.isFile()) {
    if (st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = w.links.get(key);
      if (first !== undefined) return addEntry(w.pack, { ...header, type: 'link', linkname: first });
      w.links.set(key, name);
    }
    return addEntry(w.pack, { ...header, type: 'file', size: st.size }, createReadStream(host));
  }
  if (st.isFIFO()) return addEntry(w.pack, { ...header, type: 'fifo' });
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    return addEntry(w.pack, { ...header, type: st.isCharacterDevice() ? 'character-device' : 'block-device', devmajor: major(st.rdev), devminor: minor(st.rdev) });
  }
  // Sockets cannot be carried by a tar; Docker leaves them out too.
}

/** Children of a directory, each crossing into a mount whose destination it is. */
async function walk(w: Walker, path: string, host: string, name: string): Promise<void> {
  const below = new Map(w.view.mountsBelow(path).map((m) => [m.dest, m.source]));
  for (const child of (await readdir(host)).sort(byteOrder)) {
    const childPath = path === '/' ? `/${child}` : `${path}/${child}`;
    const childHost = below.get(childPath) ?? join(host, child);
    const st = await lstatOrNull(childHost);
    if (st === null) continue; // gone since readdir
    const childName = name.endsWith('/') ? `${name}${child}` : `${name}/${child}`;
    await emit(w, childName, childHost, st);
    if (st.isDirectory()) await walk(w, childPath, childHost, childName);
  }
}

/**
 * A tar of one container path, as `GET /containers/{id}/archive` sends it: the entry itself named
 * `rebase`, then (for a directory) everything below it as `rebase/...`, parents first, with the
 * container's mounts laid over the rootfs. Symlinks are archived, never followed.
 */
export function packPath(view: ContainerView, path: string, host: string, rebase: string): Readable {
  const pack = tar.pack();
  const w: Walker = { pack, view, links: new Map() };
  (async () => {
    const st = await lstatOrNull(host);
    if (st === null) throw new Error(`${path}: no such file or directory`);
    await emit(w, rebase, host, st);
    if (st.isDirectory()) await walk(w, path, host, rebase);
  })().then(() => pack.finalize(), (e: Error) => pack.destroy(e));
  return Readable.from(pack, { objectMode: false });
}
