import { InvalidArgumentError } from '../errors.ts';

/** Linux capabilities indexed by number (capability.h), up to CAP_CHECKPOINT_RESTORE (40). */
export const KNOWN_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT',
  'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE',
  'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/** Docker's default set, in Docker's order. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/**
 * Every capability a container may get. Like Docker, that is what the engine itself holds (its
 * bounding set, see hostCapabilities()): runc cannot grant more, e.g. inside another container.
 */
export function allCapabilities(available?: readonly string[]): string[] {
  return available ? KNOWN_CAPABILITIES.filter((c) => available.includes(c)) : [...KNOWN_CAPABILITIES];
}

/** Upper-case and CAP_-prefix names as Docker accepts them ("net_admin", "CAP_NET_ADMIN"), keeping "ALL". */
export function normalizeCapabilities(names: readonly string[], field = 'CapAdd', available?: readonly string[]): string[] {
  return names.map((raw) => {
    const up = raw.trim().toUpperCase();
    if (up === 'ALL') return up;
    const name = up.startsWith('CAP_') ? up : `CAP_${up}`;
    if (!KNOWN_CAPABILITIES.includes(name)) throw new InvalidArgumentError(`${field}: unknown capability: "${name}"`);
    if (available && !available.includes(name)) {
      throw new InvalidArgumentError(`${field}: capability not supported by your kernel or not available in the current environment: "${name}"`);
    }
    return name;
  });
}

/** moby's caps.TweakCapabilities: drop, then add; "ALL" in add wins over "ALL" in drop. */
export function tweakCapabilities(base: readonly string[], add: readonly string[], drop: readonly string[], available?: readonly string[]): string[] {
  if (add.length === 0 && drop.length === 0) return [...base];
  const capDrop = normalizeCapabilities(drop, 'CapDrop', available);
  const capAdd = normalizeCapabilities(add, 'CapAdd', available);
  let caps: string[];
  if (capAdd.includes('ALL')) caps = allCapabilities(available).filter((c) => !capDrop.includes(c));
  else if (capDrop.includes('ALL')) caps = [...capAdd];
  else caps = [...base.filter((c) => !capDrop.includes(c)), ...capAdd];
  return [...new Set(caps)];
}
