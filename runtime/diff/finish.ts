import { lutimes, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { secureJoin } from '../util/securejoin.ts';
import { makeWhiteouts } from './mknod.ts';
import { baseOf, OVERLAY_OPAQUE_XATTR, parentOf } from './names.ts';
import type { LayerTree } from './tree.ts';
import { lstatOrNull } from '../util/fs.ts';
import type { Unpacker } from './unpack.ts';
import { setXattrs, type XattrMap } from './xattr.ts';

/** What the kernel answers for xattrs a filesystem cannot hold; Docker skips those too. */
const TOLERATED_XATTR_ERRORS = /Operation not supported|Operation not permitted/;

/**
 * Resolves relative paths against the tree as it is now, final component not followed.
 * Entries may have replaced directories after a path was recorded, so nothing recorded during
 * unpacking is trusted as a host path here.
 */
function locator(root: string): (rel: string) => Promise<string> {
  const parents = new Map<string, Promise<string>>();
  return (rel) => {
    if (rel === '') return Promise.resolve(root);
    const parent = parentOf(rel);
    let p = parents.get(parent);
    if (p === undefined) {
      p = secureJoin(root, parent);
      parents.set(parent, p);
    }
    return p.then((dir) => join(dir, baseOf(rel)));
  };
}

/** Remove everything under `dir` that this layer did not create: the lower content an opaque directory hides. */
async function prune(tree: LayerTree, dir: string): Promise<void> {
  if (tree.isFresh(dir)) return;
  for (const name of await readdir(dir)) {
    const host = join(dir, name);
    if (!tree.added.has(host)) await tree.remove(host);
    else if ((await lstatOrNull(host))?.isDirectory()) await prune(tree, host);
  }
}

/**
 * The second half of applying a layer, once every entry is in: whiteouts and opaque directories
 * (which must not undo what the layer itself adds, whatever the entry order), then xattrs, then
 * directory times last, since every other step may touch a directory.
 * `overlay` leaves whiteout nodes and opaque xattrs for overlayfs; without it, removal is all.
 */
export async function finishLayer(unpacker: Unpacker, overlay: boolean): Promise<void> {
  const { tree } = unpacker;
  let locate = locator(tree.root);

  const opaque = new Set(unpacker.opaques);
  const nodes = new Set<string>();
  for (const rel of unpacker.whiteouts) {
    const host = await locate(rel);
    if (tree.added.has(host)) {
      // The layer deleted a lower path and added its own: a directory of that name must hide the old one's content.
      if ((await lstatOrNull(host))?.isDirectory()) opaque.add(rel);
    } else if (overlay) nodes.add(host);
  }

  const opaqueDirs: string[] = [];
  for (const rel of opaque) {
    const host = await secureJoin(tree.root, rel);
    if (!(await lstatOrNull(host))?.isDirectory()) continue;
    await prune(tree, host);
    opaqueDirs.push(host);
  }
  locate = locator(tree.root);

  if (overlay) {
    const whiteouts: string[] = [];
    for (const host of nodes) {
      if (!(await lstatOrNull(join(host, '..')))?.isDirectory()) continue; // a later entry made the parent a non-directory, which hides everything anyway
      const st = await lstatOrNull(host);
      if (st?.isCharacterDevice() && st.rdev === 0) continue;
      if (st !== null) await tree.remove(host);
      whiteouts.push(host);
    }
    await makeWhiteouts(tree.root, whiteouts);
    const marks: XattrMap = new Map();
    for (const dir of opaqueDirs) {
      // Pruning one opaque directory may have removed another nested in it.
      if ((await lstatOrNull(dir))?.isDirectory()) marks.set(dir, new Map([[OVERLAY_OPAQUE_XATTR, Buffer.from('y')]]));
    }
    await setXattrs(marks);
  }

  const attrs: XattrMap = new Map();
  for (const [rel, values] of unpacker.xattrs) {
    const host = await locate(rel);
    if (await lstatOrNull(host) !== null) attrs.set(host, values);
  }
  await setXattrs(attrs, { tolerate: TOLERATED_XATTR_ERRORS });

  // Explicit directory entries come second, so they win over times inherited for the same path.
  for (const [rel, times] of [...tree.inheritedTimes, ...unpacker.dirTimes]) {
    const host = await locate(rel);
    if ((await lstatOrNull(host))?.isDirectory()) await lutimes(host, times.atime, times.mtime);
  }
}
