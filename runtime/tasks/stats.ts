import { access, readFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';

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
const CGROUP_ROOT = '/sys/fs/cgroup';
/** USER_HZ: /proc/stat and cpuacct.stat count in these ticks on every Linux architecture Docker supports. */
const CLK_TCK = 100;
const NS_PER_TICK = 1e9 / CLK_TCK;

/** The memory.stat keys moby copies for cgroup v1 and for v2. */
const V1_MEMORY_KEYS = ['cache', 'rss', 'rss_huge', 'mapped_file', 'dirty', 'writeback', 'pgpgin', 'pgpgout', 'pgfault', 'pgmajfault',
  'inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable', 'hierarchical_memory_limit', 'hierarchical_memsw_limit',
  'total_cache', 'total_rss', 'total_rss_huge', 'total_mapped_file', 'total_dirty', 'total_writeback', 'total_pgpgin', 'total_pgpgout',
  'total_pgfault', 'total_pgmajfault', 'total_inactive_anon', 'total_active_anon', 'total_inactive_file', 'total_active_file', 'total_unevictable'];
const V2_MEMORY_KEYS = ['anon', 'file', 'kernel_stack', 'slab', 'sock', 'shmem', 'file_mapped', 'file_dirty', 'file_writeback', 'anon_thp',
  'inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable', 'slab_reclaimable', 'slab_unreclaimable', 'pgfault',
  'pgmajfault', 'workingset_refault', 'workingset_activate', 'workingset_nodereclaim', 'pgrefill', 'pgscan', 'pgsteal', 'pgactivate',
  'pgdeactivate', 'pglazyfree', 'pglazyfreed', 'thp_fault_alloc', 'thp_collapse_alloc'];

export function emptyCpuStats(): CpuStats {
  return { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } };
}

function emptyBlkio(list: BlkioEntry[] | null = null): BlkioStats {
  return {
    io_service_bytes_recursive: list, io_serviced_recursive: list, io_queue_recursive: list, io_service_time_recursive: list,
    io_wait_time_recursive: list, io_merged_recursive: list, io_time_recursive: list, sectors_recursive: list,
  };
}

/** What dockerd sends for a container that is not running: zero values, only name and id set. */
export function emptyStats(name: string, id: string): ContainerStats {
  return {
    read: ZERO_TIME, preread: ZERO_TIME, pids_stats: {}, blkio_stats: emptyBlkio(), num_procs: 0, storage_stats: {},
    cpu_stats: emptyCpuStats(), precpu_stats: emptyCpuStats(), memory_stats: {}, name, id,
  };
}

async function text(path: string): Promise<string | undefined> {
  try { return await readFile(path, 'utf8'); } catch { return undefined; }
}

async function num(path: string): Promise<number | undefined> {
  const t = (await text(path))?.trim();
  if (t === undefined || t === '' || t === 'max') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** `key value` lines (memory.stat, cpu.stat, cpuacct.stat). */
async function keyed(path: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const line of ((await text(path)) ?? '').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^\d+$/.test(v)) out.set(k, Number(v));
  }
  return out;
}

let v2Host: Promise<boolean> | undefined;
export function isCgroupV2(): Promise<boolean> {
  v2Host ??= access(join(CGROUP_ROOT, 'cgroup.controllers')).then(() => true, () => false);
  return v2Host;
}

let systemReading: Promise<{ systemUsage: number; onlineCpus: number }> | undefined;

/**
 * Host CPU time as dockerd computes it. Readings asked for while one is under way share it:
 * `docker stats` samples every container at the same moment, and one read of /proc/stat
 * serves them all.
 */
export function systemCpuUsage(): Promise<{ systemUsage: number; onlineCpus: number }> {
  systemReading ??= readSystemCpuUsage().finally(() => { systemReading = undefined; });
  return systemReading;
}

/** The first 7 fields of /proc/stat's `cpu` line, in ns; online CPUs from the `cpuN` lines. */
async function readSystemCpuUsage(): Promise<{ systemUsage: number; onlineCpus: number }> {
  let systemUsage = 0;
  let onlineCpus = 0;
  for (const line of ((await text('/proc/stat')) ?? '').split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] === 'cpu') systemUsage = parts.slice(1, 8).reduce((n, v) => n + Number(v), 0) * NS_PER_TICK;
    else if (/^cpu\d+$/.test(parts[0] ?? '')) onlineCpus++;
  }
  return { systemUsage, onlineCpus };
}

/** blkio v1 lines: `8:0 Read 4096`; a bare `Total n` line closes the file. */
function parseBlkioV1(body: string | undefined): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of (body ?? '').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3) continue;
    const [major, minor] = f[0]!.split(':').map(Number);
    if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) continue;
    out.push({ major, minor, op: f[1]!, value: Number(f[2]) });
  }
  return out;
}

type CgroupPart = Pick<ContainerStats, 'pids_stats' | 'blkio_stats' | 'cpu_stats' | 'memory_stats'>;

async function readCpuV1(root: string, path: string): Promise<CpuStats> {
  const dir = (ctl: string, file: string) => join(root, ctl, path, file);
  const [total, percpu, cpuacct, throttle] = await Promise.all([
    num(dir('cpuacct', 'cpuacct.usage')), text(dir('cpuacct', 'cpuacct.usage_percpu')), keyed(dir('cpuacct', 'cpuacct.stat')), keyed(dir('cpu', 'cpu.stat')),
  ]);
  const perCpu = (percpu ?? '').trim().split(/\s+/).filter(Boolean).map(Number);
  return {
    cpu_usage: {
      total_usage: total ?? 0,
      ...(perCpu.length ? { percpu_usage: perCpu } : {}),
      usage_in_kernelmode: (cpuacct.get('system') ?? 0) * NS_PER_TICK,
      usage_in_usermode: (cpuacct.get('user') ?? 0) * NS_PER_TICK,
    },
    throttling_data: { periods: throttle.get('nr_periods') ?? 0, throttled_periods: throttle.get('nr_throttled') ?? 0, throttled_time: throttle.get('throttled_time') ?? 0 },
  };
}

async function readV1(root: string, path: string): Promise<CgroupPart> {
  const dir = (ctl: string, file: string) => join(root, ctl, path, file);
  const [cpu_stats, mem, pidsCurrent, pidsMax] = await Promise.all([
    readCpuV1(root, path), keyed(dir('memory', 'memory.stat')), num(dir('pids', 'pids.current')), num(dir('pids', 'pids.max')),
  ]);
  const [usage, maxUsage, limit, failcnt] = await Promise.all(['usage_in_bytes', 'max_usage_in_bytes', 'limit_in_bytes', 'failcnt'].map((f) => num(dir('memory', `memory.${f}`))));
  // CFQ/BFQ counters when the scheduler keeps them, else the throttle layer's (always there).
  let bytes = parseBlkioV1(await text(dir('blkio', 'blkio.io_service_bytes_recursive')));
  let ios = parseBlkioV1(await text(dir('blkio', 'blkio.io_serviced_recursive')));
  if (bytes.length === 0 && ios.length === 0) {
    bytes = parseBlkioV1(await text(dir('blkio', 'blkio.throttle.io_service_bytes_recursive')));
    ios = parseBlkioV1(await text(dir('blkio', 'blkio.throttle.io_serviced_recursive')));
  }
  const stats: Record<string, number> = {};
  for (const k of V1_MEMORY_KEYS) stats[k] = mem.get(k) ?? 0;
  return {
    pids_stats: { ...(pidsCurrent ? { current: pidsCurrent } : {}), ...(pidsMax ? { limit: pidsMax } : {}) },
    blkio_stats: { ...emptyBlkio([]), io_service_bytes_recursive: bytes, io_serviced_recursive: ios },
    cpu_stats,
    memory_stats: { usage: usage ?? 0, max_usage: maxUsage ?? 0, stats, failcnt: failcnt ?? 0, limit: capLimit(limit) },
  };
}

function cpuV2(cpu: Map<string, number>): CpuStats {
  return {
    cpu_usage: { total_usage: (cpu.get('usage_usec') ?? 0) * 1000, usage_in_kernelmode: (cpu.get('system_usec') ?? 0) * 1000, usage_in_usermode: (cpu.get('user_usec') ?? 0) * 1000 },
    throttling_data: { periods: cpu.get('nr_periods') ?? 0, throttled_periods: cpu.get('nr_throttled') ?? 0, throttled_time: (cpu.get('throttled_usec') ?? 0) * 1000 },
  };
}

async function readV2(root: string, path: string): Promise<CgroupPart> {
  const dir = join(root, path);
  const [cpu, mem, events, usage, limit, pidsCurrent, pidsMax, io] = await Promise.all([
    keyed(join(dir, 'cpu.stat')), keyed(join(dir, 'memory.stat')), keyed(join(dir, 'memory.events')), num(join(dir, 'memory.current')),
    num(join(dir, 'memory.max')), num(join(dir, 'pids.current')), num(join(dir, 'pids.max')), text(join(dir, 'io.stat')),
  ]);
  const bytes: BlkioEntry[] = [];
  for (const line of (io ?? '').split('\n')) {
    const [dev, ...kv] = line.trim().split(/\s+/);
    const [major, minor] = (dev ?? '').split(':').map(Number);
    if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) continue;
    const get = (k: string) => Number(kv.find((x) => x.startsWith(`${k}=`))?.slice(k.length + 1) ?? 0);
    bytes.push({ major, minor, op: 'read', value: get('rbytes') }, { major, minor, op: 'write', value: get('wbytes') });
  }
  const stats: Record<string, number> = {};
  for (const k of V2_MEMORY_KEYS) stats[k] = mem.get(k) ?? 0;
  return {
    pids_stats: { ...(pidsCurrent ? { current: pidsCurrent } : {}), ...(pidsMax ? { limit: pidsMax } : {}) },
    blkio_stats: { ...emptyBlkio(), io_service_bytes_recursive: bytes.length ? bytes : null },
    cpu_stats: cpuV2(cpu),
    memory_stats: { usage: usage ?? 0, stats, ...(events.get('oom') ? { failcnt: events.get('oom') } : {}), limit: capLimit(limit) },
  };
}

/** An unlimited cgroup reports a huge number (v1) or `max` (v2); dockerd shows the machine's memory instead. */
function capLimit(limit: number | undefined): number {
  const machine = totalmem();
  return limit === undefined || limit > machine ? machine : limit;
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
export async function networkStats(pid: number): Promise<Record<string, NetworkStats> | undefined> {
  const body = await text(`/proc/${pid}/net/dev`);
  return body ? parseNetDev(body) : undefined;
}

/**
 * The cgroup half of a reading: CPU, memory, pids and block I/O of the cgroup at `path` below
 * `root` (one directory per controller on v1, the unified tree on v2).
 */
export function readCgroup(path: string, opts: { root?: string; v2: boolean }): Promise<CgroupPart> {
  const root = opts.root ?? CGROUP_ROOT;
  return opts.v2 ? readV2(root, path) : readV1(root, path);
}

export interface SampleTarget {
  /** The container's cgroup path below each hierarchy's root, e.g. `/wharf/<id>`. */
  cgroupPath: string;
  /** Host pid of the container's init, for its network counters; 0 to leave networks out. */
  pid: number;
}

/** One reading. `preread` and `precpu_stats` are left zero: the caller pairs readings. */
export async function sampleStats(target: SampleTarget): Promise<ContainerStats> {
  const [cg, sys, networks] = await Promise.all([
    readCgroup(target.cgroupPath, { v2: await isCgroupV2() }),
    systemCpuUsage(),
    target.pid > 0 ? networkStats(target.pid) : Promise.resolve(undefined),
  ]);
  const cpu_stats: CpuStats = { cpu_usage: cg.cpu_stats.cpu_usage, system_cpu_usage: sys.systemUsage, online_cpus: sys.onlineCpus, throttling_data: cg.cpu_stats.throttling_data };
  return {
    read: new Date().toISOString(), preread: ZERO_TIME, pids_stats: cg.pids_stats, blkio_stats: cg.blkio_stats, num_procs: 0, storage_stats: {},
    cpu_stats, precpu_stats: emptyCpuStats(), memory_stats: cg.memory_stats,
    ...(networks ? { networks } : {}),
  };
}

/**
 * The CPU figures alone: what an earlier reading contributes to a later one (its
 * `precpu_stats`). A quarter of the files of a full reading on cgroup v1, one on v2.
 */
export async function sampleCpu(target: SampleTarget): Promise<Pick<ContainerStats, 'read' | 'cpu_stats'>> {
  const v2 = await isCgroupV2();
  const [cpu, sys] = await Promise.all([
    v2 ? keyed(join(CGROUP_ROOT, target.cgroupPath, 'cpu.stat')).then(cpuV2) : readCpuV1(CGROUP_ROOT, target.cgroupPath),
    systemCpuUsage(),
  ]);
  return { read: new Date().toISOString(), cpu_stats: { cpu_usage: cpu.cpu_usage, system_cpu_usage: sys.systemUsage, online_cpus: sys.onlineCpus, throttling_data: cpu.throttling_data } };
}
