import { InvalidArgumentError } from '../errors.ts';
import { DEFAULT_SHM_SIZE, defaultSpec } from './defaults.ts';
import { processEnv } from './env.ts';
import { withMounts, withReadonlyRootfs, withShmSize } from './mounts.ts';
import {
  DEFAULT_NETWORK_SYSCTLS, withCgroupsPath, withDomainname, withHostIpc, withHostname, withHostNamespace, withNetNS, withSysctls,
} from './namespaces.ts';
import {
  withAnnotations, withCwd, withEnv, withOomScoreAdj, withProcessArgs, withRootfs, withTerminal, withUlimits, withUser,
} from './process.ts';
import { type CpuOptions, type MemoryOptions, withCpu, withMemory, withPidsLimit } from './resources.ts';
import { withCapabilities, withPrivileged } from './security.ts';
import type { LinuxDevice, Mount, Spec, SpecOpt } from './types.ts';

export interface SpecOptions {
  args: string[];
  /** The container's Config.Env; PATH, HOSTNAME and (with a terminal) TERM are added as Docker does. */
  env: string[];
  cwd: string;
  user: { uid: number; gid: number; additionalGids: number[] };
  terminal: boolean;
  hostname: string;
  domainname?: string;
  /** Usually "rootfs" inside the bundle, or an absolute path. */
  rootfs: string;
  readonlyRootfs?: boolean;
  /** Resolved host paths: binds, volumes, tmpfs, and the /etc/hosts, /etc/hostname, /etc/resolv.conf binds. */
  mounts: Mount[];
  memory?: MemoryOptions;
  cpu?: CpuOptions;
  pidsLimit?: number;
  cgroupsPath: string;
  /** undefined/'none': a new netns; 'host': the host's; an absolute path: join that netns. */
  netns?: string;
  capAdd?: string[];
  capDrop?: string[];
  privileged?: boolean;
  sysctls?: Record<string, string>;
  oomScoreAdj?: number;
  /** Bytes for /dev/shm; Docker's default is 64 MiB. */
  shmSize?: number;
  ulimits?: { name: string; soft: number; hard: number }[];
  annotations?: Record<string, string>;
  ipcHost?: boolean;
  pidHost?: boolean;
  utsHost?: boolean;
  /** The capabilities the engine holds (hostCapabilities()): the "ALL" of --privileged and --cap-add=ALL. */
  hostCapabilities?: string[];
  /** The host's device nodes for --privileged (hostDevices()). */
  hostDevices?: LinuxDevice[];
}

export function applyOpts(spec: Spec, opts: readonly SpecOpt[]): Spec {
  for (const opt of opts) opt(spec);
  return spec;
}

function checkSysctls(o: SpecOptions): void {
  for (const key of Object.keys(o.sysctls ?? {})) {
    if (o.netns === 'host' && key.startsWith('net.')) throw new InvalidArgumentError(`Sysctls: ${key} is not allowed in the host network namespace`);
    if (o.utsHost && (key === 'kernel.hostname' || key === 'kernel.domainname')) throw new InvalidArgumentError(`Sysctls: ${key} is not allowed in the host UTS namespace`);
  }
}

/**
 * The config.json for one container, composed in moby's createSpec order: common process
 * settings, cgroups and resources, sysctls, rlimits, namespaces, capabilities, mounts, then
 * the settings that override mounts (read-only rootfs, privileged).
 */
export function buildSpec(o: SpecOptions): Spec {
  checkSysctls(o);
  const opts: SpecOpt[] = [
    withProcessArgs(o.args),
    withCwd(o.cwd),
    withEnv(processEnv(o.env, { hostname: o.hostname, terminal: o.terminal })),
    withTerminal(o.terminal),
    withUser(o.user),
    withRootfs(o.rootfs),
    withHostname(o.hostname),
  ];
  if (!o.utsHost) opts.push(withDomainname(o.domainname));
  if (o.netns !== 'host') opts.push(withSysctls(DEFAULT_NETWORK_SYSCTLS));
  opts.push(
    withCgroupsPath(o.cgroupsPath),
    withMemory(o.memory ?? {}),
    withCpu(o.cpu ?? {}),
    withPidsLimit(o.pidsLimit),
    withSysctls(o.sysctls ?? {}),
    withUlimits(o.ulimits ?? []),
    withNetNS(o.netns),
  );
  if (o.pidHost) opts.push(withHostNamespace('pid'));
  if (o.utsHost) opts.push(withHostNamespace('uts'));
  // Privileged gets every capability whatever CapAdd/CapDrop say, as in moby's TweakCapabilities.
  if (!o.privileged) opts.push(withCapabilities(o.capAdd, o.capDrop, o.hostCapabilities));
  opts.push(withShmSize(o.shmSize || DEFAULT_SHM_SIZE));
  if (o.ipcHost) opts.push(withHostIpc());
  opts.push(withMounts(o.mounts), withReadonlyRootfs(o.readonlyRootfs ?? false));
  if (o.privileged) opts.push(withPrivileged({ available: o.hostCapabilities, hostDevices: o.hostDevices }));
  // Docker always writes the score, even 0; we write it only when asked, because lowering an
  // inherited score needs CAP_SYS_RESOURCE, which an engine running in a container may lack.
  if (o.oomScoreAdj !== undefined) opts.push(withOomScoreAdj(o.oomScoreAdj));
  opts.push(withAnnotations(o.annotations ?? {}));
  return applyOpts(defaultSpec(), opts);
}
