import type { Health, HealthConfig } from '../health/types.ts';

/**
 * Container records in the Docker Engine API's own shapes (ContainerConfig, HostConfig,
 * ContainerState), so the API layer passes them through and `docker inspect` reads true.
 */
export interface ContainerConfig {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: Record<string, object>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[];
  Cmd: string[] | null;
  Healthcheck?: HealthConfig;
  Image: string;
  Volumes?: Record<string, object> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  Labels: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
}

export interface RestartPolicy { Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure'; MaximumRetryCount?: number }

export interface MountRequest {
  Type: 'bind' | 'volume' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string; CreateMountpoint?: boolean };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string> };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface PortBinding { HostIp?: string; HostPort?: string }

export interface HostConfig {
  Binds?: string[] | null;
  Mounts?: MountRequest[] | null;
  Tmpfs?: Record<string, string> | null;
  /** `container[:ro|:rw]`: mount what those containers mount, at the same paths. */
  VolumesFrom?: string[] | null;
  NetworkMode?: string;
  PortBindings?: Record<string, PortBinding[] | null> | null;
  PublishAllPorts?: boolean;
  RestartPolicy?: RestartPolicy;
  AutoRemove?: boolean;
  Memory?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  PidsLimit?: number | null;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Dns?: string[] | null;
  DnsSearch?: string[] | null;
  DnsOptions?: string[] | null;
  Links?: string[] | null;
  ExtraHosts?: string[] | null;
  Sysctls?: Record<string, string> | null;
  ShmSize?: number;
  Init?: boolean | null;
  IpcMode?: string;
  PidMode?: string;
  UTSMode?: string;
  OomScoreAdj?: number;
  Ulimits?: { Name: string; Soft: number; Hard: number }[] | null;
  LogConfig?: { Type: string; Config: Record<string, string> };
  /** Supplementary groups, by name (from the container's /etc/group) or gid. */
  GroupAdd?: string[] | null;
  CpuRealtimePeriod?: number;
  CpuRealtimeRuntime?: number;
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerState {
  Status: ContainerStatus;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  /** Set while the container has a health check (kept by the health monitor). */
  Health?: Health;
}

/** A resolved mount as `docker inspect` lists it under Mounts. */
export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs';
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

export interface ContainerRecord {
  Id: string;
  Name: string;
  Created: string;
  /** The image as the user named it. */
  ImageRef: string;
  /** The image id (config digest). */
  Image: string;
  Path: string;
  Args: string[];
  Config: ContainerConfig;
  HostConfig: HostConfig;
  Mounts: MountPoint[];
  /** What `VolumesFrom` named at create, as dockerd keeps it: the source container may go away. */
  VolumesFromMounts?: MountPoint[];
  RestartCount: number;
  /** Set when the user stopped the container, so `unless-stopped` and `always` don't revive it. */
  ManuallyStopped: boolean;
  /** The snapshot key of the container's writable layer. */
  SnapshotKey: string;
}

export const NO_TIME = '0001-01-01T00:00:00Z';

export function initialState(): ContainerState {
  return { Status: 'created', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0, ExitCode: 0, Error: '', StartedAt: NO_TIME, FinishedAt: NO_TIME };
}
