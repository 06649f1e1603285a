import { constants, type Stats } from 'node:fs';
import { lchown, link, lutimes, mkdir, open, rmdir, symlink, unlink } from 'node:fs/promises';
import type { Header } from 'tar-stream';
import { InvalidArgumentError } from '../errors.ts';
import { setXattrs } from '../diff/xattr.ts';
import { run } from '../util/exec.ts';
import { lstatOrNull } from '../util/fs.ts';
import { openDirAt, type Dir } from './confined.ts';

/** An entry's data as tar-stream hands it over. */
export interface EntryData extends AsyncIterable<Buffer> { resume(): unknown }

/** O_EXCL|O_NOFOLLOW: the name was just cleared, so anything there now is not ours to write through. */
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export interface Attributes { uid: number; gid: number; mode: number; atime: number; mtime: number }

/** tar-stream attaches the entry's PAX records to its header, decoded as UTF-8 text. */
function paxOf(h: Header): Record<string, string> {
  return h.pax !== null && typeof h.pax === 'object' ? h.pax as Record<string, string> : {};
}

/** The attributes an entry asks for, checked: PAX records override the ustar fields. */
export function attributesOf(h: Header, owner?: { uid: number; gid: number }): Attributes {
  const pax = paxOf(h);
  const num = (key: string, fallback: number, integer: boolean): number => {
    const v = pax[key] === undefined ? fallback : Number(pax[key]);
    if (!Number.isFinite(v) || (integer && (!Number.isInteger(v) || v < 0))) throw new InvalidArgumentError(`archive entry "${h.name}": invalid ${key} "${pax[key]}"`);
    return v;
  };
  const mtime = num('mtime', (h.mtime?.getTime() ?? 0) / 1000, false);
  return {
    uid: owner?.uid ?? num('uid', h.uid ?? 0, true),
    gid: owner?.gid ?? num('gid', h.gid ?? 0, true),
    mode: (h.mode ?? 0) & 0o7777,
    mtime,
    atime: num('atime', mtime, false),
  };
}

/** Extended attributes from SCHILY.xattr records; overlay's own are never taken from an archive. */
function xattrsOf(h: Header): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(paxOf(h))) {
    if (!key.startsWith('SCHILY.xattr.')) continue;
    const name = key.slice('SCHILY.xattr.'.length);
    if (name.startsWith('trusted.overlay.') || value.includes('\uFFFD')) continue;
    out.set(name, Buffer.from(value, 'utf8'));
  }
  return out;
}

/**
 * Clears `name` in `dir` for a new entry, as Docker's Unpack does: anything but a directory is
 * removed, and a directory only when empty (a recursive removal would walk paths that another
 * process can swap under it).
 */
async function clear(dir: Dir, name: string, existing: Stats | null): Promise<void> {
  if (existing === null) return;
  if (existing.isDirectory()) await rmdir(dir.at(name));
  else await unlink(dir.at(name));
}

/**
 * Writes one tar entry as `name` inside the open directory `dir`. Every call names one component
 * in a directory held open and never follows a final symlink (O_NOFOLLOW, lchown, lutimes,
 * link without AT_SYMLINK_FOLLOW), so nothing lands outside `dir`. A directory's times are left
 * to the caller, to be set once its children are in.
 */
export async function writeEntry(dir: Dir, name: string, h: Header, data: EntryData, a: Attributes): Promise<void> {
  const at = dir.at(name);
  if (h.type !== 'file' && h.type !== 'contiguous-file') data.resume();
  const existing = await lstatOrNull(at);
  switch (h.type) {
    case 'directory': {
      if (!existing?.isDirectory()) {
        await clear(dir, name, existing);
        await mkdir(at, 0o700);
      }
      const sub = await openDirAt(dir, name);
      if (sub === null) throw new InvalidArgumentError(`archive entry "${h.name}": the directory changed while it was extracted`);
      try {
        await sub.handle.chown(a.uid, a.gid);
        await sub.handle.chmod(a.mode); // after chown, which clears setgid
      } finally {
        await sub.close();
      }
      break;
    }
    case 'file':
    case 'contiguous-file': {
      await clear(dir, name, existing);
      const fh = await open(at, CREATE_FLAGS, 0o600);
      try {
        for await (const chunk of data) await fh.write(chunk);
        await fh.chown(a.uid, a.gid);
        await fh.chmod(a.mode);
        await fh.utimes(a.atime, a.mtime);
      } finally {
        await fh.close();
      }
      break;
    }
    case 'symlink':
      if (!h.linkname) throw new InvalidArgumentError(`archive entry "${h.name}": symlink without a target`);
      await clear(dir, name, existing);
      await symlink(h.linkname, at);
      await lchown(at, a.uid, a.gid);
      await lutimes(at, a.atime, a.mtime);
      break;
    case 'character-device':
    case 'block-device':
    case 'fifo': {
      await clear(dir, name, existing);
      const kind = h.type === 'fifo' ? 'p' : h.type === 'block-device' ? 'b' : 'c';
      const nums = kind === 'p' ? [] : [String(h.devmajor ?? 0), String(h.devminor ?? 0)];
      // Node cannot mknod; mknod(1) creates the final name in the directory held open by this process.
      await run('mknod', ['-m', a.mode.toString(8), '--', at, kind, ...nums]);
      await lchown(at, a.uid, a.gid);
      await lutimes(at, a.atime, a.mtime);
      break;
    }
    default:
      throw new InvalidArgumentError(`archive entry "${h.name}": unsupported entry type ${String(h.type)}`);
  }
  const attrs = xattrsOf(h);
  if (attrs.size > 0) await setXattrs(new Map([[at, attrs]]));
}

/** A hard link `name` in `dir` to the file `targetName` in `targetDir`; link(2) does not follow a symlink target. */
export async function writeHardlink(dir: Dir, name: string, targetDir: Dir, targetName: string): Promise<void> {
  await clear(dir, name, await lstatOrNull(dir.at(name)));
  await link(targetDir.at(targetName), dir.at(name));
}
