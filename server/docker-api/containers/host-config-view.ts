import { access } from 'node:fs/promises';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, DEFAULT_SHM_SIZE, type HostConfig } from '../../../runtime/index.ts';
import type * as Docker from '../../protocol/docker-api.ts';

/**
 * Docker's HostConfig, but for the log driver: besides Docker's drivers, containers created
 * before log drivers were recorded keep conmon's `k8s-file` (as podman reports it), a driver
 * the spec's enum does not list.
 */
export type HostConfigView = Omit<Docker.GoJson<Docker.HostConfig>, 'LogConfig'> & { LogConfig: { Type: string; Config: Record<string, string> } };

const MASKED_PATHS = [...DEFAULT_MASKED_PATHS];
const READONLY_PATHS = [...DEFAULT_READONLY_PATHS];
const SHM_SIZE = DEFAULT_SHM_SIZE;

/** dockerd's cgroup namespace default: private on cgroup v2, host on v1. */
const CGROUPNS = await access('/sys/fs/cgroup/cgroup.controllers').then(() => 'private' as const, () => 'host' as const);

/**
 * HostConfig fields in dockerd's order with the values it reports when the client left them
 * out. What the client sent is shown as sent (an empty list stays `[]`, an absent one is null).
 */
function defaults(): HostConfigView {
  return {
    Binds: null, ContainerIDFile: '', LogConfig: { Type: 'k8s-file', Config: {} }, NetworkMode: 'bridge', PortBindings: {},
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, AutoRemove: false, VolumeDriver: '', VolumesFrom: null, ConsoleSize: [0, 0],
    Annotations: undefined, CapAdd: null, CapDrop: null, CgroupnsMode: CGROUPNS, Dns: null, DnsOptions: null, DnsSearch: null, ExtraHosts: null,
    GroupAdd: null, IpcMode: 'private', Cgroup: '', Links: null, OomScoreAdj: 0, PidMode: '', Privileged: false, PublishAllPorts: false,
    ReadonlyRootfs: false, SecurityOpt: null, StorageOpt: undefined, Tmpfs: undefined, UTSMode: '', UsernsMode: '', ShmSize: SHM_SIZE,
    Sysctls: undefined, Runtime: 'runc', Isolation: '', CpuShares: 0, Memory: 0, NanoCpus: 0, CgroupParent: '', BlkioWeight: 0,
    BlkioWeightDevice: null, BlkioDeviceReadBps: null, BlkioDeviceWriteBps: null, BlkioDeviceReadIOps: null, BlkioDeviceWriteIOps: null,
    CpuPeriod: 0, CpuQuota: 0, CpuRealtimePeriod: 0, CpuRealtimeRuntime: 0, CpusetCpus: '', CpusetMems: '', Devices: null,
    DeviceCgroupRules: null, DeviceRequests: null, MemoryReservation: 0, MemorySwap: 0, MemorySwappiness: null, OomKillDisable: null,
    PidsLimit: null, Ulimits: null, CpuCount: 0, CpuPercent: 0, IOMaximumIOps: 0, IOMaximumBandwidth: 0, Mounts: undefined,
    MaskedPaths: MASKED_PATHS, ReadonlyPaths: READONLY_PATHS, Init: undefined,
  };
}

/** Fields Go marshals with `omitempty`: left out when empty. */
const OMIT_EMPTY = new Set(['Annotations', 'StorageOpt', 'Tmpfs', 'Sysctls', 'Mounts', 'Init']);

/** The HostConfig of `docker inspect`: the recorded one completed as dockerd completes it. */
export function hostConfigView(h: HostConfig): HostConfigView {
  const given = h as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // Walks dockerd's field order; the recorded values come from a validated create request.
  for (const [key, fallback] of Object.entries(defaults())) {
    const v = given[key];
    const value = v === undefined ? fallback : v;
    if (OMIT_EMPTY.has(key) && (value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0))) continue;
    out[key] = value;
  }
  const log = out.LogConfig as { Type?: string; Config?: Record<string, string> } | null;
  // A record without a type predates log drivers: its log is conmon's k8s-file.
  out.LogConfig = { Type: log?.Type || 'k8s-file', Config: log?.Config ?? {} };
  if (!out.NetworkMode || out.NetworkMode === 'default') out.NetworkMode = 'bridge';
  if (!out.ShmSize) out.ShmSize = SHM_SIZE;
  if (!out.IpcMode) out.IpcMode = 'private';
  if (!out.CgroupnsMode) out.CgroupnsMode = CGROUPNS;
  if (!out.Runtime) out.Runtime = 'runc';
  if (out.MemorySwappiness === -1) out.MemorySwappiness = null;
  if (typeof out.PidsLimit === 'number' && out.PidsLimit <= 0) out.PidsLimit = null;
  if (!out.PortBindings) out.PortBindings = {};
  if (h.Privileged) {
    out.MaskedPaths = null;
    out.ReadonlyPaths = null;
  } else {
    if (!out.MaskedPaths) out.MaskedPaths = MASKED_PATHS;
    if (!out.ReadonlyPaths) out.ReadonlyPaths = READONLY_PATHS;
  }
  return out as HostConfigView;
}
