import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { run } from '../util/exec.ts';

/** A mount as the snapshotter describes it; the same shape as containerd's mount.Mount. */
export interface MountSpec {
  type: 'overlay' | 'bind';
  source: string;
  options: string[];
  /** Directory that relative paths in `options` are resolved against (keeps overlay options short). */
  cwd?: string;
}

/**
 * Mount with util-linux's mount(8). Node has no mount(2) binding; the binary is a real part
 * from Debian. Relative lowerdir paths are resolved by the kernel against the caller's cwd,
 * which keeps long layer chains within the one-page limit on mount options.
 */
export async function mountAt(m: MountSpec, target: string): Promise<void> {
  if (m.type === 'bind') {
    await run('mount', ['--bind', m.source, target]);
    if (m.options.includes('ro')) await run('mount', ['-o', 'remount,bind,ro', target]);
    return;
  }
  await run('mount', ['-t', 'overlay', m.source, '-o', m.options.join(','), target], { cwd: m.cwd });
}

/** @param mounted how to tell whether something is mounted there (hasForeignMount when it can only be another filesystem) */
export async function unmount(target: string, mounted: (target: string) => Promise<boolean> = isMountPoint): Promise<void> {
  if (!(await mounted(target))) return;
  const r = await run('umount', [target], { allowFail: true });
  // A container that exits may still have a process holding the mount for a moment: detach it.
  if (r.code !== 0 && (await mounted(target))) await run('umount', ['-l', target]);
}

/** Mount points from /proc/self/mountinfo, with octal escapes decoded. */
export async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').filter(Boolean).map((line) => decodeMountPath(line.split(' ')[4] ?? ''));
}

export async function isMountPoint(target: string): Promise<boolean> {
  return (await mountPoints()).includes(target);
}

/**
 * Whether a mount of another filesystem (an overlay, a namespace file) is at `target`: its
 * device then differs from its directory's. Two stats instead of reading the mount table, whose
 * text the kernel writes anew on every read and which grows with every container running on
 * the host. It cannot see a bind mount within one filesystem: use isMountPoint for those.
 */
export async function hasForeignMount(target: string): Promise<boolean> {
  try {
    const [at, dir] = await Promise.all([stat(target), stat(dirname(target))]);
    return at.dev !== dir.dev;
  } catch {
    return false;
  }
}

function decodeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}
