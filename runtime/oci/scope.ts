import { lstat, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';

const MAX_SYMLINKS = 255;

/**
 * Resolve path inside root as if root were "/": symlinks (absolute or with "..") are followed but
 * can never leave root, like filepath-securejoin. Missing components are joined lexically.
 * An image's /etc/passwd may be a symlink; following it on the host would read the host's files.
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  const pending = path.split('/').filter(Boolean);
  let current = '';
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      current = posix.dirname(`/${current}`).slice(1);
      continue;
    }
    const next = current ? `${current}/${part}` : part;
    const st = await lstat(join(root, next)).catch(() => undefined);
    if (!st?.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (++links > MAX_SYMLINKS) throw new InvalidArgumentError(`too many levels of symbolic links resolving ${path} in ${root}`);
    const target = await readlink(join(root, next));
    if (target.startsWith('/')) current = '';
    pending.unshift(...target.split('/').filter(Boolean));
  }
  return join(root, current);
}
