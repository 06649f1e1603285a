import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';

/** lstat, or null when the path is missing (ENOENT, or ENOTDIR under a non-directory). */
export async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
}
