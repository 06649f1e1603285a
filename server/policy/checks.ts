import { containerViolations, hostConfigViolations, volumeOptionsReachHost } from './host-config-rules.ts';
import type { PolicyLookup } from './lookup.ts';
import type { PolicySubject } from './subjects.ts';
import { violation, type Violation } from './violation.ts';

const HOST_DRIVERS = new Set(['host', 'macvlan', 'ipvlan']);
/** What `update` may change: resources and the restart policy (Docker's UpdateConfig). */
const UPDATABLE = new Set([
  'Memory', 'MemoryReservation', 'MemorySwap', 'NanoCpus', 'CpuShares', 'CpuPeriod', 'CpuQuota', 'CpusetCpus', 'CpusetMems', 'PidsLimit',
  'RestartPolicy', 'BlkioWeight', 'KernelMemory', 'KernelMemoryTCP', 'CpuRealtimePeriod', 'CpuRealtimeRuntime', 'MemorySwappiness',
  'OomKillDisable', 'CpuCount', 'CpuPercent',
]);
/** Empty values the CLI sends for every resource it does not change. */
const isUnset = (v: unknown): boolean => v === undefined || v === null || v === 0 || v === '' || v === false || (Array.isArray(v) && v.length === 0);

/**
 * An existing container the request works inside (attach, exec, copy, export, commit): refused
 * when the principal could not have created it, since reaching into it reaches what it reaches.
 */
export async function containerAccessViolations(lookup: PolicyLookup, id: string): Promise<Violation[]> {
  const c = await lookup.container(id);
  // An unknown container is the verb's own 404 to give.
  if (!c) return [];
  const found = await containerViolations(c.HostConfig, c.Mounts, lookup);
  return found.map((v) => violation(v.rule, `container ${id}: ${v.field}`, `a container with ${v.what}`));
}

/** The host-reaching settings of one subject. */
export async function subjectViolations(s: PolicySubject, lookup: PolicyLookup): Promise<Violation[]> {
  switch (s.kind) {
    case 'container.create': {
      const out = await hostConfigViolations(s.hostConfig as unknown as Record<string, unknown>, lookup);
      for (const name of s.networks) {
        if (name === 'host' || HOST_DRIVERS.has(await lookup.networkDriver(name) ?? '')) {
          out.push(violation('hostNamespaces', `NetworkingConfig.EndpointsConfig.${name}`, `a network attached to the host's interfaces`));
        }
      }
      return out;
    }
    case 'container.update': {
      const out: Violation[] = [];
      for (const [key, value] of Object.entries(s.update)) {
        if (!UPDATABLE.has(key) && !isUnset(value)) out.push(violation('admin', key, 'settings other than resources and the restart policy in an update'));
      }
      return out;
    }
    case 'exec.create':
      return [
        ...(s.config.Privileged ? [violation('privileged', 'Privileged', 'privileged mode')] : []),
        ...await containerAccessViolations(lookup, s.container),
      ];
    case 'exec.start': {
      const e = await lookup.exec(s.exec);
      if (!e) return [];
      return [
        ...(e.privileged ? [violation('privileged', 'Privileged', 'privileged mode')] : []),
        ...await containerAccessViolations(lookup, e.containerId),
      ];
    }
    case 'volume.create':
      return volumeOptionsReachHost(s.options.DriverOpts) ? [violation('bindMounts', 'DriverOpts', 'volume driver options that mount a host path or device')] : [];
    case 'network.create':
      return [
        ...(HOST_DRIVERS.has(s.driver) ? [violation('hostNamespaces', 'Driver', `the ${s.driver} network driver`)] : []),
        ...(s.options['com.docker.network.bridge.name'] ? [violation('hostNamespaces', 'Options.com.docker.network.bridge.name', 'a host interface name')] : []),
      ];
    case 'network.connect':
      return HOST_DRIVERS.has(await lookup.networkDriver(s.network) ?? '') ? [violation('hostNamespaces', 'network', `a network attached to the host's interfaces`)] : [];
    case 'image.commit':
      return containerAccessViolations(lookup, s.container);
    case 'image.import':
      // A URL makes the engine fetch any address it can reach, inside the host's network too.
      return s.source === '-' ? [] : [violation('admin', 'fromSrc', 'imports from a URL')];
  }
}
