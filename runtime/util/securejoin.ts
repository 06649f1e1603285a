import { readlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';
import { lstatOrNull } from './fs.ts';

/** Linux gives up after 40 links per lookup; a whole rootfs path may chain more, so allow as many as filepath-securejoin does. */
const MAX_SYMLINKS = 255;

/**
 * Resolve `unsafePath` inside `root` as if `root` were `/` (chroot semantics): `..` stops at
 * root, absolute symlinks are re-rooted at root, relative ones resolve inside the rootfs.
 * Every existing component is resolved, including the last; components that do not exist are
 * appended as they are. The result is an absolute host path that is always inside `root`.
 *
 * The guarantee holds for the tree as it is while we walk it: callers that write must own the
 * tree (no other writer racing them), which is true for snapshots being unpacked or committed.
 */
export async function secureJoin(root: string, unsafePath: string): Promise<string> {
  const base = resolve(root);
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
    const host = join(base, ...resolved);
    const st = await lstatOrNull(host);
    if (st === null || !st.isSymbolicLink()) continue;

    if (++links > MAX_SYMLINKS) {
      throw new InvalidArgumentError(`path "${unsafePath}": too many levels of symbolic links inside ${base}`);
    }
    const target = await readlink(host);
    resolved.pop();
    if (target.startsWith('/')) resolved.length = 0;
    pending.push(...target.split('/').reverse());
  }
  return join(base, ...resolved);
}

