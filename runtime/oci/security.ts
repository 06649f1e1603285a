import { allCapabilities, DEFAULT_CAPABILITIES, tweakCapabilities } from './caps.ts';
import type { Capabilities, LinuxDevice, Mount, Spec, SpecOpt } from './types.ts';

/** Docker sets bounding, effective and permitted alike; inheritable and ambient stay empty. */
function setCapabilities(spec: Spec, caps: string[]): void {
  const c: Capabilities = { bounding: [...caps], effective: [...caps], permitted: [...caps] };
  spec.process!.capabilities = c;
}

/** CapAdd/CapDrop with Docker's names (with or without CAP_, any case, "ALL"). */
export function withCapabilities(add: readonly string[] = [], drop: readonly string[] = [], available?: readonly string[]): SpecOpt {
  return (spec) => {
    const base = spec.process?.capabilities?.bounding ?? DEFAULT_CAPABILITIES;
    setCapabilities(spec, tweakCapabilities(base, add, drop, available));
  };
}

function clearReadOnly(m: Mount): void {
  m.options = (m.options ?? []).filter((o) => o !== 'ro');
}

export interface PrivilegedOptions {
  /** The capabilities the engine holds (hostCapabilities()); all known ones when absent. */
  available?: readonly string[];
  /** The host's device nodes (see hostDevices()), created in the container as Docker does. */
  hostDevices?: readonly LinuxDevice[];
}

/**
 * --privileged: every capability, nothing masked or read-only under /proc and /sys, writable
 * /sys and cgroup mounts, every device allowed. Apply after mounts and capabilities.
 */
export function withPrivileged(opts: PrivilegedOptions = {}): SpecOpt {
  return (spec) => {
    setCapabilities(spec, allCapabilities(opts.available));
    for (const m of spec.mounts ?? []) {
      if (m.destination === '/sys' || m.type === 'cgroup') clearReadOnly(m);
    }
    const linux = (spec.linux ??= {});
    delete linux.maskedPaths;
    delete linux.readonlyPaths;
    linux.devices = [...(linux.devices ?? []), ...(opts.hostDevices ?? [])];
    linux.resources = { ...linux.resources, devices: [{ allow: true, access: 'rwm' }] };
  };
}

export function withNoNewPrivileges(on = true): SpecOpt {
  return (spec) => { spec.process!.noNewPrivileges = on; };
}
