import { lstat, readdir } from 'node:fs/promises';
import { secureJoin } from '../util/securejoin.ts';
import { run } from '../util/exec.ts';

/**
 * Docker's volume copy-up: when an empty volume is mounted over a directory that has content
 * in the container's filesystem, that content (and the directory's owner and mode) is copied
 * into the volume first, so `VOLUME /data` in an image or `-v fresh:/etc/app` starts populated.
 * The path is resolved inside `rootfs` (symlinks cannot lead out of it). Returns whether it copied.
 */
export async function copyUp(rootfs: string, destination: string, data: string): Promise<boolean> {
  if ((await readdir(data)).length > 0) return false;
  const source = await secureJoin(rootfs, destination);
  try {
    if (!(await lstat(source)).isDirectory()) return false;
  } catch {
    return false;
  }
  // `src/.` copies the directory itself onto the existing volume root: contents, owner and mode.
  // cp runs as a child process so a large tree never blocks the event loop.
  await run('cp', ['-a', '--', `${source}/.`, data]);
  return true;
}
