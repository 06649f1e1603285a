import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KNOWN_CAPABILITIES } from './caps.ts';
import type { LinuxDevice } from './types.ts';

/**
 * Facts about the host that some options need (privileged containers). Kept apart from the
 * pure option functions so those stay testable without a host.
 */

/** Directories under /dev that belong to the host's own mounts, skipped as containerd's HostDevices does. */
const SKIP_DIRS = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);

/** glibc's dev_t encoding. */
export function splitDev(rdev: bigint): { major: number; minor: number } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & 0xfffff000n);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & 0xffffff00n);
  return { major: Number(major), minor: Number(minor) };
}

/** Every char and block device under dir (default /dev), for --privileged. */
export async function hostDevices(dir = '/dev'): Promise<LinuxDevice[]> {
  const out: LinuxDevice[] = [];
  const walk = async (d: string): Promise<void> => {
    let names: string[];
    try { names = await readdir(d); } catch { return; }
    for (const name of names.sort()) {
      const p = join(d, name);
      const st = await lstat(p, { bigint: true }).catch(() => undefined);
      if (!st) continue;
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name)) await walk(p);
        continue;
      }
      if (name === 'console' || (!st.isCharacterDevice() && !st.isBlockDevice())) continue;
      out.push({
        path: p,
        type: st.isCharacterDevice() ? 'c' : 'b',
        ...splitDev(st.rdev),
        fileMode: Number(st.mode & 0o7777n),
        uid: Number(st.uid),
        gid: Number(st.gid),
      });
    }
  };
  await walk(dir);
  return out;
}

/** Capability names in a /proc/<pid>/status mask such as "000001ffffffffff". */
export function capabilitiesFromMask(hex: string): string[] {
  const mask = BigInt(`0x${hex}`);
  return KNOWN_CAPABILITIES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

/**
 * The engine's bounding set: what runc can grant a privileged container. Docker reads the same;
 * undefined when /proc cannot tell.
 */
export async function hostCapabilities(): Promise<string[] | undefined> {
  try {
    const m = /^CapBnd:\s*([0-9a-f]+)$/m.exec(await readFile('/proc/self/status', 'utf8'));
    return m ? capabilitiesFromMask(m[1]!) : undefined;
  } catch {
    return undefined;
  }
}
