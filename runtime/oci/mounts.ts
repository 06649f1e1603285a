import { posix } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';
import { defaultMounts } from './defaults.ts';
import type { Mount, SpecOpt } from './types.ts';

const PROPAGATIONS = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);

/** Flag pairs that cancel each other; for tmpfs the last one given wins, as in moby's MergeTmpfsOptions. */
const FLAG_GROUPS: Record<string, string> = {
  ro: 'ro', rw: 'ro', suid: 'suid', nosuid: 'suid', dev: 'dev', nodev: 'dev', exec: 'exec', noexec: 'exec',
  sync: 'sync', async: 'sync', dirsync: 'dirsync', mand: 'mand', nomand: 'mand', atime: 'atime', noatime: 'atime',
  diratime: 'diratime', nodiratime: 'diratime', relatime: 'relatime', norelatime: 'relatime',
  strictatime: 'strictatime', nostrictatime: 'strictatime',
  private: 'propagation', rprivate: 'propagation', shared: 'propagation', rshared: 'propagation',
  slave: 'propagation', rslave: 'propagation', unbindable: 'propagation', runbindable: 'propagation',
};
const TMPFS_DATA_KEYS = new Set(['size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol']);

function cleanDestination(dest: string): string {
  if (!dest.startsWith('/')) throw new InvalidArgumentError(`mount destination ${JSON.stringify(dest)} is not an absolute path`);
  const clean = posix.normalize(dest).replace(/(.)\/+$/, '$1');
  if (clean === '/') throw new InvalidArgumentError('mount destination cannot be "/"');
  return clean;
}

/** Docker's tmpfs defaults (noexec, nosuid, nodev, rprivate) overridden by the caller's options. */
export function mergeTmpfsOptions(options: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const opt of [...options].reverse()) {
    if (opt === 'defaults') continue;
    const group = FLAG_GROUPS[opt];
    const key = group ?? opt.split('=', 1)[0]!;
    if (group === undefined && (!opt.includes('=') || !TMPFS_DATA_KEYS.has(key))) {
      throw new InvalidArgumentError(`invalid tmpfs option ${JSON.stringify(opt)}`);
    }
    if (seen.has(key)) continue;
    seen.add(key);
    out.unshift(opt);
  }
  return out;
}

/** A bind as Docker writes it: rbind (or bind), ro when read-only, a propagation (rprivate unless given). */
function normalizeBind(m: Mount, destination: string): Mount {
  const opts = m.options ?? [];
  const propagation = [...opts].reverse().find((o) => PROPAGATIONS.has(o)) ?? 'rprivate';
  const extra = opts.filter((o) => !PROPAGATIONS.has(o) && !['bind', 'rbind', 'ro', 'rw'].includes(o));
  const options = [opts.includes('bind') ? 'bind' : 'rbind'];
  if ([...opts].reverse().find((o) => o === 'ro' || o === 'rw') === 'ro') options.push('ro');
  options.push(propagation, ...extra);
  if (!m.source) throw new InvalidArgumentError(`bind mount at ${destination} has no source`);
  return { destination, type: 'bind', source: m.source, options };
}

export function normalizeMount(m: Mount): Mount {
  const destination = cleanDestination(m.destination);
  const opts = m.options ?? [];
  if (m.type === 'tmpfs') {
    return { destination, type: 'tmpfs', source: 'tmpfs', options: mergeTmpfsOptions(['noexec', 'nosuid', 'nodev', 'rprivate', ...opts]) };
  }
  if (m.type === 'bind' || opts.includes('bind') || opts.includes('rbind')) return normalizeBind(m, destination);
  return { ...m, destination };
}

const depth = (dest: string): number => dest.split('/').length;

/**
 * User mounts (binds, volumes, tmpfs, /etc/hosts…) replace any mount at the same destination, and a
 * user /dev replaces everything under /dev, like moby's WithMounts. Parents are mounted before
 * children, so they are ordered by depth.
 */
export function withMounts(mounts: readonly Mount[]): SpecOpt {
  return (spec) => {
    const user = mounts.map(normalizeMount).sort((a, b) => depth(a.destination) - depth(b.destination));
    const userDests = new Set(user.map((m) => m.destination));
    const ownDev = userDests.has('/dev');
    const kept = (spec.mounts ?? []).filter((m) => !userDests.has(m.destination) && !(ownDev && m.destination.startsWith('/dev/')));
    spec.mounts = [...kept, ...user];
  };
}

/** Sets /dev/shm's size; a user mount at /dev/shm is left alone. */
export function withShmSize(bytes: number): SpecOpt {
  return (spec) => {
    if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new InvalidArgumentError(`ShmSize: must be a positive number of bytes, got ${bytes}`);
    const shm = spec.mounts?.find((m) => m.destination === '/dev/shm' && m.type === 'tmpfs' && m.source === 'shm');
    if (shm) shm.options = [...(shm.options ?? []).filter((o) => !o.startsWith('size=')), `size=${bytes}`];
  };
}

const RO_EXEMPT = new Set(['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue']);

/** A read-only rootfs also makes the remaining default mounts read-only, except the ones a process needs to write. */
export function withReadonlyRootfs(readonly = true): SpecOpt {
  return (spec) => {
    spec.root = { path: spec.root?.path ?? 'rootfs', readonly };
    if (!readonly) return;
    const defaults = defaultMounts();
    for (const m of spec.mounts ?? []) {
      const isDefault = defaults.some((d) => d.destination === m.destination && d.type === m.type && d.source === m.source);
      if (isDefault && !RO_EXEMPT.has(m.destination) && !m.options?.includes('ro')) m.options = [...(m.options ?? []), 'ro'];
    }
  };
}
