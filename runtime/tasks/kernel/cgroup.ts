import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** One control file as read: the kernel's own words, so nothing is lost in translation. */
export interface CgroupFile { controller: string; file: string; value: string }

export interface CgroupView {
  version: 1 | 2;
  /** Controller → path below its hierarchy, from /proc/<pid>/cgroup ('' is the v2 tree). */
  paths: Record<string, string>;
  /** The limits in force, decoded; null is unlimited. Bytes, CPUs and counts. */
  limits: { memory: number | null; memorySwap: number | null; memoryReservation: number | null; cpus: number | null; cpuShares: number | null; cpuset: string; pids: number | null };
  usage: { memory: number | null; memoryPeak: number | null; cpuNanos: number | null; pids: number | null };
  files: CgroupFile[];
}

/** `/proc/<pid>/cgroup` lines `id:controllers:path` → controller → path. */
export function parseProcCgroup(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    for (const c of (m[1] || '').split(',')) out[c] = m[2]!;
  }
  return out;
}

async function read(path: string): Promise<string | undefined> {
  try { return (await readFile(path, 'utf8')).trim(); } catch { return undefined; }
}

/** v1 reports "no limit" as a page-aligned near-2^63 number, v2 as `max`. */
function limit(raw: string | undefined): number | null {
  if (raw === undefined || raw === 'max' || raw === '-1') return null;
  const n = Number(raw);
  return Number.isFinite(n) && n < 2 ** 62 ? n : null;
}

const V1_FILES: [string, string][] = [
  ['memory', 'memory.limit_in_bytes'], ['memory', 'memory.memsw.limit_in_bytes'], ['memory', 'memory.soft_limit_in_bytes'],
  ['memory', 'memory.usage_in_bytes'], ['memory', 'memory.max_usage_in_bytes'], ['memory', 'memory.failcnt'],
  ['cpu', 'cpu.cfs_quota_us'], ['cpu', 'cpu.cfs_period_us'], ['cpu', 'cpu.shares'], ['cpuacct', 'cpuacct.usage'],
  ['cpuset', 'cpuset.cpus'], ['pids', 'pids.max'], ['pids', 'pids.current'],
];
const V2_FILES = ['memory.max', 'memory.swap.max', 'memory.low', 'memory.current', 'memory.peak', 'cpu.max', 'cpu.weight', 'cpu.stat', 'cpuset.cpus', 'pids.max', 'pids.current'];

/**
 * The cgroup a process is in, with the limits in force and the current usage, read from the
 * control files (one hierarchy per controller on v1, the unified tree on v2).
 */
export async function cgroupView(procCgroup: string, v2: boolean, root = CGROUP_ROOT): Promise<CgroupView> {
  const paths = parseProcCgroup(procCgroup);
  const files: CgroupFile[] = [];
  const values = new Map<string, string>();
  if (v2) {
    const dir = join(root, paths[''] ?? '/');
    await Promise.all(V2_FILES.map(async (file) => { const v = await read(join(dir, file)); if (v !== undefined) values.set(file, v); }));
    for (const file of V2_FILES) if (values.has(file)) files.push({ controller: file.split('.')[0]!, file, value: values.get(file)! });
    const [quota, period] = (values.get('cpu.max') ?? 'max 100000').split(/\s+/);
    const usec = /usage_usec (\d+)/.exec(values.get('cpu.stat') ?? '')?.[1];
    return {
      version: 2, paths, files,
      limits: {
        memory: limit(values.get('memory.max')), memorySwap: limit(values.get('memory.swap.max')), memoryReservation: limit(values.get('memory.low')) || null,
        cpus: quota && quota !== 'max' ? Number(quota) / Number(period || 100000) : null, cpuShares: limit(values.get('cpu.weight')),
        cpuset: values.get('cpuset.cpus') ?? '', pids: limit(values.get('pids.max')),
      },
      usage: { memory: limit(values.get('memory.current')), memoryPeak: limit(values.get('memory.peak')), cpuNanos: usec ? Number(usec) * 1000 : null, pids: limit(values.get('pids.current')) },
    };
  }
  await Promise.all(V1_FILES.map(async ([ctl, file]) => {
    const path = paths[ctl];
    if (path === undefined) return;
    const v = await read(join(root, ctl, path, file));
    if (v !== undefined) values.set(file, v);
  }));
  for (const [controller, file] of V1_FILES) if (values.has(file)) files.push({ controller, file, value: values.get(file)! });
  const quota = Number(values.get('cpu.cfs_quota_us') ?? -1);
  const period = Number(values.get('cpu.cfs_period_us') ?? 100000);
  return {
    version: 1, paths, files,
    limits: {
      memory: limit(values.get('memory.limit_in_bytes')), memorySwap: limit(values.get('memory.memsw.limit_in_bytes')),
      memoryReservation: limit(values.get('memory.soft_limit_in_bytes')), cpus: quota > 0 ? quota / period : null,
      cpuShares: limit(values.get('cpu.shares')), cpuset: values.get('cpuset.cpus') ?? '', pids: limit(values.get('pids.max')),
    },
    usage: {
      memory: limit(values.get('memory.usage_in_bytes')), memoryPeak: limit(values.get('memory.max_usage_in_bytes')),
      cpuNanos: limit(values.get('cpuacct.usage')), pids: limit(values.get('pids.current')),
    },
  };
}
