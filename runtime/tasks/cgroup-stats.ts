import { access } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import type { BlkioEntry, BlkioStats, ContainerStats, CpuStats } from './stats.ts';

/**
 * What a container's cgroup says about its CPU, memory, pids and block I/O, on cgroup v1 (one
 * directory per controller) or v2 (the unified tree), in moby's StatsJSON shape.
 */
export const CGROUP_ROOT = '/sys/fs/cgroup';
/** USER_HZ: /proc/stat and cpuacct.stat count in these ticks on every Linux architecture Docker supports. */
const CLK_TCK = 100;
export const NS_PER_TICK = 1e9 / CLK_TCK;

/** The memory.stat keys moby copies for cgroup v1 and for v2. */
const V1_MEMORY_KEYS = ['cache', 'rss', 'rss_huge', 'mapped_file', 'dirty', 'writeback', 'pgpgin', 'pgpgout', 'pgfault', 'pgmajfault',
  'inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable', 'hierarchical_memory_limit', 'hierarchical_memsw_limit',
  'total_cache', 'total_rss', 'total_rss_huge', 'total_mapped_file', 'total_dirty', 'total_writeback', 'total_pgpgin', 'total_pgpgout',
  'total_pgfault', 'total_pgmajfault', 'total_inactive_anon', 'total_active_anon', 'total_inactive_file', 'total_active_file', 'total_unevictable'];
const V2_MEMORY_KEYS = ['anon', 'file', 'kernel_stack', 'slab', 'sock', 'shmem', 'file_mapped', 'file_dirty', 'file_writeback', 'anon_thp',
  'inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable', 'slab_reclaimable', 'slab_unreclaimable', 'pgfault',
  'pgmajfault', 'workingset_refault', 'workingset_activate', 'workingset_nodereclaim', 'pgrefill', 'pgscan', 'pgsteal', 'pgactivate',
  'pgdeactivate', 'pglazyfree', 'pglazyfreed', 'thp_fault_alloc', 'thp_collapse_alloc'];

export function emptyBlkio(list: BlkioEntry[] | null = null): BlkioStats {
  return {
    io_service_bytes_recursive: list, io_serviced_recursive: list, io_queue_recursive: list, io_service_time_recursive: list,
    io_wait_time_recursive: list, io_merged_recursive: list, io_time_recursive: list, sectors_recursive: list,
  };
}

/** A file's text, or undefined when it cannot be read (a cgroup or a process that is gone). */
export type ReadText = (path: string) => Promise<string | undefined>;

async function num(read: ReadText, path: string): Promise<number | undefined> {
  const t = (await read(path))?.trim();
  if (t === undefined || t === '' || t === 'max') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** `key value` lines (memory.stat, cpu.stat, cpuacct.stat). */
async function keyed(read: ReadText, path: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const line of ((await read(path)) ?? '').split('\n')) {
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

export type CgroupPart = Pick<ContainerStats, 'pids_stats' | 'blkio_stats' | 'cpu_stats' | 'memory_stats'>;

async function readCpuV1(read: ReadText, root: string, path: string): Promise<CpuStats> {
  const dir = (ctl: string, file: string) => join(root, ctl, path, file);
  const [total, percpu, cpuacct, throttle] = await Promise.all([
    num(read, dir('cpuacct', 'cpuacct.usage')), read(dir('cpuacct', 'cpuacct.usage_percpu')), keyed(read, dir('cpuacct', 'cpuacct.stat')), keyed(read, dir('cpu', 'cpu.stat')),
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

async function readV1(read: ReadText, root: string, path: string): Promise<CgroupPart> {
  const dir = (ctl: string, file: string) => join(root, ctl, path, file);
  const memory = (f: string) => num(read, dir('memory', `memory.${f}`));
  const blkio = (prefix: string): Promise<[BlkioEntry[], BlkioEntry[]]> => Promise.all([
    read(dir('blkio', `${prefix}io_service_bytes_recursive`)).then(parseBlkioV1),
    read(dir('blkio', `${prefix}io_serviced_recursive`)).then(parseBlkioV1),
  ]);
  // Asked for together, so they are read in one batch (see TextReader).
  const [cpu_stats, mem, pidsCurrent, pidsMax, usage, maxUsage, limit, failcnt, scheduler] = await Promise.all([
    readCpuV1(read, root, path), keyed(read, dir('memory', 'memory.stat')), num(read, dir('pids', 'pids.current')), num(read, dir('pids', 'pids.max')),
    memory('usage_in_bytes'), memory('max_usage_in_bytes'), memory('limit_in_bytes'), memory('failcnt'), blkio('blkio.'),
  ]);
  // CFQ/BFQ counters when the scheduler keeps them, else the throttle layer's (always there).
  const [bytes, ios] = scheduler[0].length === 0 && scheduler[1].length === 0 ? await blkio('blkio.throttle.') : scheduler;
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

async function readV2(read: ReadText, root: string, path: string): Promise<CgroupPart> {
  const dir = join(root, path);
  const [cpu, mem, events, usage, limit, pidsCurrent, pidsMax, io] = await Promise.all([
    keyed(read, join(dir, 'cpu.stat')), keyed(read, join(dir, 'memory.stat')), keyed(read, join(dir, 'memory.events')), num(read, join(dir, 'memory.current')),
    num(read, join(dir, 'memory.max')), num(read, join(dir, 'pids.current')), num(read, join(dir, 'pids.max')), read(join(dir, 'io.stat')),
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

/**
 * The machine's memory, read again at most once a minute: os.totalmem() reads /proc/meminfo
 * on the calling thread, and every reading of every container asks.
 */
let machineMemory: { bytes: number; at: number } | undefined;
function totalMemory(): number {
  const now = Date.now();
  if (!machineMemory || now - machineMemory.at > 60_000) machineMemory = { bytes: totalmem(), at: now };
  return machineMemory.bytes;
}

/** An unlimited cgroup reports a huge number (v1) or `max` (v2); dockerd shows the machine's memory instead. */
function capLimit(limit: number | undefined): number {
  const machine = totalMemory();
  return limit === undefined || limit > machine ? machine : limit;
}

/**
 * The cgroup half of a reading: CPU, memory, pids and block I/O of the cgroup at `path` below
 * `root` (one directory per controller on v1, the unified tree on v2).
 */
export function readCgroup(read: ReadText, path: string, opts: { root?: string; v2: boolean }): Promise<CgroupPart> {
  const root = opts.root ?? CGROUP_ROOT;
  return opts.v2 ? readV2(read, root, path) : readV1(read, root, path);
}

/** The CPU figures alone (`cpu_usage` and `throttling_data`) of the cgroup at `path`. */
export function readCgroupCpu(read: ReadText, path: string, v2: boolean): Promise<CpuStats> {
  return v2 ? keyed(read, join(CGROUP_ROOT, path, 'cpu.stat')).then(cpuV2) : readCpuV1(read, CGROUP_ROOT, path);
}
