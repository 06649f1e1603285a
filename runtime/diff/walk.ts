import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { mapLimit } from './ahead.ts';
import { OVERLAY_OPAQUE_XATTR } from './names.ts';
import { getXattrsRecursive } from './xattr.ts';

/** The only file attribute Docker carries into layers it commits; others stay out of images. */
export const CAPABILITY_XATTR = 'security.capability';

const STAT_WINDOW = 32;

export interface UpperEntry {
  /** Relative to the upper directory, '/'-separated, never empty. */
  rel: string;
  host: string;
  st: Stats;
  /** An overlay whiteout: a character device 0:0 standing for a deleted lower path. */
  whiteout: boolean;
  /** A directory whose lower content overlay hides (trusted.overlay.opaque=y). */
  opaque: boolean;
  capability?: Buffer;
}

export function isWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

/** Go's sort of byte strings, which is the order Docker writes layer entries in. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Every entry of an overlay upper directory, parents before children, siblings in byte order.
 * The xattrs that matter are read up front in one getfattr run over the whole tree.
 */
export async function* walkUpper(upperDir: string): AsyncGenerator<UpperEntry> {
  const pattern = `^(${OVERLAY_OPAQUE_XATTR.replace(/\./g, '\\.')}|${CAPABILITY_XATTR.replace(/\./g, '\\.')})$`;
  const base = resolve(upperDir); // getfattr names files as the argument spells them
  const xattrs = await getXattrsRecursive(base, pattern);

  async function* visit(dirHost: string, dirRel: string): AsyncGenerator<UpperEntry> {
    const names = (await readdir(dirHost)).sort(byteOrder);
    const stats = await mapLimit(names, STAT_WINDOW, (name) => lstat(join(dirHost, name)));
    for (const [i, name] of names.entries()) {
      const host = join(dirHost, name);
      const rel = dirRel === '' ? name : `${dirRel}/${name}`;
      const st = stats[i]!;
      const attrs = xattrs.get(host);
      const opaque = st.isDirectory() && attrs?.get(OVERLAY_OPAQUE_XATTR)?.toString() === 'y';
      yield { rel, host, st, whiteout: isWhiteout(st), opaque, capability: attrs?.get(CAPABILITY_XATTR) };
      if (st.isDirectory()) yield* visit(host, rel);
    }
  }
  yield* visit(base, '');
}
