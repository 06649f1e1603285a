import { isCgroupV2, NS_PER_TICK, readCgroup, readCgroupCpu, emptyBlkio, type ReadText } from './cgroup-stats.ts';

/**
 * A container's resource usage in the Docker Engine API's own shape (moby's StatsJSON), read
 * from its cgroup (v1 or v2) and its init's network namespace. Field order follows moby's Go
 * structs so the JSON reads the same as dockerd's.
 */
export interface BlkioEntry { major: number; minor: number; op: string; value: number }

export interface BlkioStats {
  io_service_bytes_recursive: BlkioEntry[] | null;
  io_serviced_recursive: BlkioEntry[] | null;
  io_queue_recursive: BlkioEntry[] | null;
  io_service_time_recursive: BlkioEntry[] | null;
  io_wait_time_recursive: BlkioEntry[] | null;
  io_merged_recursive: BlkioEntry[] | null;
  io_time_recursive: BlkioEntry[] | null;
  sectors_recursive: BlkioEntry[] | null;
}

export interface CpuStats {
  cpu_usage: { total_usage: number; percpu_usage?: number[]; usage_in_kernelmode: number; usage_in_usermode: number };
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

export interface MemoryStats { usage?: number; max_usage?: number; stats?: Record<string, number>; failcnt?: number; limit?: number }

export interface NetworkStats {
  rx_bytes: number; rx_packets: number; rx_errors: number; rx_dropped: number;
  tx_bytes: number; tx_packets: number; tx_errors: number; tx_dropped: number;
}

export interface ContainerStats {
  read: string;
  preread: string;
  pids_stats: { current?: number; limit?: number };
  blkio_stats: BlkioStats;
  num_procs: number;
  storage_stats: Record<string, never>;
  cpu_stats: CpuStats;
  precpu_stats: CpuStats;
  memory_stats: MemoryStats;
  name?: string;
  id?: string;
  networks?: Record<string, NetworkStats>;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function emptyCpuStats(): CpuStats {
  return { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } };
}

/** What dockerd sends for a container that is not running: zero values, only name and id set. */
export function emptyStats(name: string, id: string): ContainerStats {
  return {
    read: ZERO_TIME, preread: ZERO_TIME, pids_stats: {}, blkio_stats: emptyBlkio(), num_procs: 0, storage_stats: {},
    cpu_stats: emptyCpuStats(), precpu_stats: emptyCpuStats(), memory_stats: {}, name, id,
  };
}

let systemReading: Promise<{ systemUsage: number; onlineCpus: number }> | undefined;

/**
 * Host CPU time as dockerd computes it. Readings asked for while one is under way share it:
 * `docker stats` samples every container at the same moment, and one read of /proc/stat
 * serves them all.
 */
export function systemCpuUsage(read: ReadText): Promise<{ systemUsage: number; onlineCpus: number }> {
  systemReading ??= readSystemCpuUsage(read).finally(() => { systemReading = undefined; });
  return systemReading;
}

/** The first 7 fields of /proc/stat's `cpu` line, in ns; online CPUs from the `cpuN` lines. */
async function readSystemCpuUsage(read: ReadText): Promise<{ systemUsage: number; onlineCpus: number }> {
  let systemUsage = 0;
  let onlineCpus = 0;
  for (const line of ((await read('/proc/stat')) ?? '').split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] === 'cpu') systemUsage = parts.slice(1, 8).reduce((n, v) => n + Number(v), 0) * NS_PER_TICK;
    else if (/^cpu\d+$/.test(parts[0] ?? '')) onlineCpus++;
  }
  return { systemUsage, onlineCpus };
}

/** Interface counters from a /proc/<pid>/net/dev text, loopback left out as Docker does. */
export function parseNetDev(body: string): Record<string, NetworkStats> | undefined {
  const out: Record<string, NetworkStats> = {};
  for (const line of body.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo') continue;
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    out[name] = {
      rx_bytes: f[0] ?? 0, rx_packets: f[1] ?? 0, rx_errors: f[2] ?? 0, rx_dropped: f[3] ?? 0,
      tx_bytes: f[8] ?? 0, tx_packets: f[9] ?? 0, tx_errors: f[10] ?? 0, tx_dropped: f[11] ?? 0,
    };
  }
  return Object.keys(out).length ? out : undefined;
}

/** The network counters of the namespace the container's init lives in. */
export async function networkStats(read: ReadText, pid: number): Promise<Record<string, NetworkStats> | undefined> {
  const body = await read(`/proc/${pid}/net/dev`);
  return body ? parseNetDev(body) : undefined;
}

export interface SampleTarget {
  /** The container's cgroup path below each hierarchy's root, e.g. `/wharf/<id>`. */
  cgroupPath: string;
  /** Host pid of the container's init, for its network counters; 0 to leave networks out. */
  pid: number;
}

/** A cgroup's CPU figures with the host's, in the order moby's CPUStats has them. */
function withHost(cpu: CpuStats, host: { systemUsage: number; onlineCpus: number }): CpuStats {
  return { cpu_usage: cpu.cpu_usage, system_cpu_usage: host.systemUsage, online_cpus: host.onlineCpus, throttling_data: cpu.throttling_data };
}

/** One reading. `preread` and `precpu_stats` are left zero: the caller pairs readings. */
export async function sampleStats(read: ReadText, target: SampleTarget): Promise<ContainerStats> {
  const [cg, host, networks] = await Promise.all([
    readCgroup(read, target.cgroupPath, { v2: await isCgroupV2() }),
    systemCpuUsage(read),
    target.pid > 0 ? networkStats(read, target.pid) : Promise.resolve(undefined),
  ]);
  return {
    read: new Date().toISOString(), preread: ZERO_TIME, pids_stats: cg.pids_stats, blkio_stats: cg.blkio_stats, num_procs: 0, storage_stats: {},
    cpu_stats: withHost(cg.cpu_stats, host), precpu_stats: emptyCpuStats(), memory_stats: cg.memory_stats,
    ...(networks ? { networks } : {}),
  };
}

/**
 * The CPU figures alone: what an earlier reading contributes to a later one (its
 * `precpu_stats`). A quarter of the files of a full reading on cgroup v1, one on v2.
 */
export async function sampleCpu(read: ReadText, target: SampleTarget): Promise<Pick<ContainerStats, 'read' | 'cpu_stats'>> {
  const [cpu, host] = await Promise.all([readCgroupCpu(read, target.cgroupPath, await isCgroupV2()), systemCpuUsage(read)]);
  return { read: new Date().toISOString(), cpu_stats: withHost(cpu, host) };
}
