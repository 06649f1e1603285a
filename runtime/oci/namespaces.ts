import { InvalidArgumentError } from '../errors.ts';
import type { Namespace, NamespaceType, Spec, SpecOpt } from './types.ts';

/** Option functions for linux.namespaces and the settings that only make sense inside them. */

function setNamespace(spec: Spec, ns: Namespace): void {
  const list = ((spec.linux ??= {}).namespaces ??= []);
  const i = list.findIndex((n) => n.type === ns.type);
  if (i >= 0) list[i] = ns;
  else list.push(ns);
}

export function removeNamespace(spec: Spec, type: NamespaceType): void {
  if (spec.linux?.namespaces) spec.linux.namespaces = spec.linux.namespaces.filter((n) => n.type !== type);
}

/** Share the host's namespace of this type (--pid=host, --ipc=host, --uts=host). */
export function withHostNamespace(type: NamespaceType): SpecOpt {
  return (spec) => {
    removeNamespace(spec, type);
    // runc refuses a hostname without a private UTS namespace.
    if (type === 'uts') delete spec.hostname;
  };
}

/** --ipc=host also shares the host's /dev/shm, like moby's IpcMounts. */
export function withHostIpc(): SpecOpt {
  return (spec) => {
    removeNamespace(spec, 'ipc');
    spec.mounts = (spec.mounts ?? []).filter((m) => m.destination !== '/dev/shm');
    spec.mounts.push({ destination: '/dev/shm', type: 'bind', source: '/dev/shm', options: ['rbind', 'rprivate'] });
  };
}

/**
 * The network namespace: undefined or 'none' creates a new one (loopback only until the network
 * layer configures it); a path joins a prepared netns; 'host' shares the host's.
 */
export function withNetNS(netns: string | undefined): SpecOpt {
  return (spec) => {
    if (netns === 'host') return removeNamespace(spec, 'network');
    if (netns === undefined || netns === 'none' || netns === '') return setNamespace(spec, { type: 'network' });
    if (!netns.startsWith('/')) throw new InvalidArgumentError(`network namespace path ${JSON.stringify(netns)} is not absolute`);
    setNamespace(spec, { type: 'network', path: netns });
  };
}

export function withHostname(hostname: string): SpecOpt {
  return (spec) => {
    if (hostname) spec.hostname = hostname;
    else delete spec.hostname;
  };
}

/** The OCI spec has no domainname field in 1.0.2; the kernel.domainname sysctl does the same, as in moby. */
export function withDomainname(domainname: string | undefined): SpecOpt {
  return (spec) => {
    if (domainname) ((spec.linux ??= {}).sysctl ??= {})['kernel.domainname'] = domainname;
  };
}

export function withSysctls(sysctls: Record<string, string>): SpecOpt {
  return (spec) => {
    const linux = (spec.linux ??= {});
    linux.sysctl = { ...linux.sysctl, ...sysctls };
  };
}

/**
 * Docker's defaults for a container with its own network namespace: unprivileged ping and
 * binding ports below 1024 without CAP_NET_BIND_SERVICE.
 */
export const DEFAULT_NETWORK_SYSCTLS: Readonly<Record<string, string>> = {
  'net.ipv4.ping_group_range': '0 2147483647',
  'net.ipv4.ip_unprivileged_port_start': '0',
};

export function withCgroupsPath(path: string): SpecOpt {
  return (spec) => {
    if (!path.startsWith('/') && !/^[^:/]+:[^:]*:[^:]+$/.test(path)) {
      throw new InvalidArgumentError(`cgroupsPath ${JSON.stringify(path)} must be absolute (or slice:prefix:name for systemd)`);
    }
    (spec.linux ??= {}).cgroupsPath = path;
  };
}
