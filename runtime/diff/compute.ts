import { createReadStream } from 'node:fs';
import { readFile, readlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { WHITEOUT_OPAQUE, WHITEOUT_PREFIX, baseOf, joinRel, parentOf } from './names.ts';
import { mapAhead } from './ahead.ts';
import { CAPABILITY_XATTR, walkUpper, type UpperEntry } from './walk.ts';

export { changes, type Change } from './changes.ts';

type Header = Partial<tar.Header> & { name: string; pax?: Record<string, string> };

const EPOCH = new Date(0);

/** Linux's dev_t encoding (glibc gnu_dev_major/minor). */
function major(rdev: number): number {
  return Number(((BigInt(rdev) >> 8n) & 0xfffn) | ((BigInt(rdev) >> 32n) & ~0xfffn));
}
function minor(rdev: number): number {
  return Number((BigInt(rdev) & 0xffn) | ((BigInt(rdev) >> 12n) & ~0xffn));
}

/** Files up to this size are read whole (at most READ_AHEAD of them at once): one read instead of a stream's several round trips. */
const SMALL_FILE = 256 * 1024;
const READ_AHEAD = 16;

function addEntry(pack: tar.Pack, header: Header, data?: Readable | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null) => (err ? reject(err) : resolve());
    if (data instanceof Readable) pipeline(data, pack.entry(header, done)).catch(reject);
    else pack.entry(header, data ?? '', done);
  });
}

/** A whiteout or opaque marker: an empty regular file, with the owner and permissions of what it stands for, as Docker writes them. */
function marker(name: string, e: UpperEntry): Header {
  return { name, type: 'file', size: 0, mode: 0o100000 | (e.st.mode & 0o777), uid: e.st.uid, gid: e.st.gid, mtime: EPOCH };
}

async function writeDiff(pack: tar.Pack, upperDir: string): Promise<void> {
  const firstLink = new Map<string, string>(); // dev:ino → first path, for hardlinks within the upper
  // Small files and link targets are read a few entries ahead while earlier ones are packed.
  const prefetched = mapAhead(walkUpper(upperDir), READ_AHEAD, async (e) => ({
    e,
    data: !e.whiteout && e.st.isFile() && e.st.size <= SMALL_FILE ? await readFile(e.host) : undefined,
    target: e.st.isSymbolicLink() ? await readlink(e.host) : undefined,
  }));
  for await (const { e, data, target } of prefetched) {
    const { st, rel } = e;
    if (e.whiteout) {
      await addEntry(pack, marker(joinRel(parentOf(rel), WHITEOUT_PREFIX + baseOf(rel)), e));
      continue;
    }
    if (st.isSocket()) continue; // a tar cannot carry one; Docker leaves them out too
    // The full st_mode keeps the header mode non-zero, which tar-stream would otherwise replace by a default.
    const header: Header = { name: rel, mode: st.mode, uid: st.uid, gid: st.gid, mtime: st.mtime };
    if (e.capability && Buffer.from(e.capability.toString('utf8'), 'utf8').equals(e.capability)) {
      // tar-stream writes PAX values as UTF-8 text; a capability set that is not valid UTF-8 cannot be carried.
      header.pax = { [`SCHILY.xattr.${CAPABILITY_XATTR}`]: e.capability.toString('utf8') };
    }
    if (st.isDirectory()) {
      await addEntry(pack, { ...header, type: 'directory' });
      if (e.opaque) await addEntry(pack, marker(`${rel}/${WHITEOUT_OPAQUE}`, e));
      continue;
    }
    if (st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = firstLink.get(key);
      if (first !== undefined) {
        await addEntry(pack, { ...header, type: 'link', linkname: first });
        continue;
      }
      firstLink.set(key, rel);
    }
    if (data !== undefined) await addEntry(pack, { ...header, type: 'file' }, data);
    else if (st.isFile()) await addEntry(pack, { ...header, type: 'file', size: st.size }, createReadStream(e.host));
    else if (target !== undefined) await addEntry(pack, { ...header, type: 'symlink', linkname: target });
    else if (st.isFIFO()) await addEntry(pack, { ...header, type: 'fifo' });
    else if (st.isCharacterDevice() || st.isBlockDevice()) {
      const type = st.isCharacterDevice() ? 'character-device' : 'block-device';
      await addEntry(pack, { ...header, type, devmajor: major(st.rdev), devminor: minor(st.rdev) });
    }
  }
}

/**
 * The OCI layer (uncompressed tar) holding what a container or build step changed: the content
 * of the overlay upper directory, with overlay's whiteout nodes and opaque xattrs turned into
 * `.wh.` entries. Deterministic: byte-sorted, parents first. With overlayfs the upper directory
 * alone describes the change; `lowerDirs` (top-most first) is the same argument `changes` takes.
 */
export function computeDiff(_lowerDirs: readonly string[], upperDir: string): Readable {
  const pack = tar.pack();
  writeDiff(pack, upperDir).then(() => pack.finalize(), (e: Error) => pack.destroy(e));
  return Readable.from(pack, { objectMode: false });
}
