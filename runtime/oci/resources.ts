import { InvalidArgumentError } from '../errors.ts';
import type { LinuxCPU, LinuxMemory, LinuxResources, Spec, SpecOpt } from './types.ts';

/** The CFS period Docker uses for NanoCpus, in microseconds (100ms). */
export const CFS_PERIOD = 100_000;
const MIN_MEMORY = 6 * 1024 * 1024;

export interface MemoryOptions {
  limit?: number;
  reservation?: number;
  /** Docker's MemorySwap: memory+swap total; -1 unlimited; 0/undefined leaves the runtime default. */
  swap?: number;
  swappiness?: number;
  oomKillDisable?: boolean;
}

export interface CpuOptions {
  nanoCpus?: number;
  shares?: number;
  quota?: number;
  period?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  /** cgroup v1's real-time scheduler budget (cpu.rt_runtime_us per cpu.rt_period_us). */
  realtimeRuntime?: number;
  realtimePeriod?: number;
}

function resources(spec: Spec): LinuxResources {
  spec.linux ??= {};
  return (spec.linux.resources ??= {});
}

/** moby's getMemoryResources, with the checks Docker applies when the container is created. */
export function withMemory(opts: MemoryOptions): SpecOpt {
  return (spec) => {
    const { limit = 0, reservation = 0, swap = 0, swappiness } = opts;
    if (limit > 0 && limit < MIN_MEMORY) throw new InvalidArgumentError('Memory: minimum memory limit allowed is 6MB');
    if (swap > 0 && limit <= 0) throw new InvalidArgumentError('MemorySwap: you should always set the Memory limit when using Memoryswap limit');
    if (swap > 0 && swap < limit) throw new InvalidArgumentError('MemorySwap: minimum memoryswap limit should be larger than memory limit');
    if (reservation > 0 && limit > 0 && reservation > limit) throw new InvalidArgumentError('MemoryReservation: minimum memory limit can not be less than memory reservation limit');
    if (swappiness !== undefined && swappiness !== -1 && (swappiness < 0 || swappiness > 100)) {
      throw new InvalidArgumentError(`MemorySwappiness: invalid value: ${swappiness}, valid memory swappiness range is 0-100`);
    }
    const memory: LinuxMemory = {};
    if (limit > 0) memory.limit = limit;
    if (reservation > 0) memory.reservation = reservation;
    if (swap !== 0) memory.swap = swap;
    if (swappiness !== undefined && swappiness !== -1) memory.swappiness = swappiness;
    if (opts.oomKillDisable !== undefined) memory.disableOOMKiller = opts.oomKillDisable;
    if (Object.keys(memory).length > 0) resources(spec).memory = memory;
  };
}

/** moby's getCPUResources: NanoCpus become a CFS quota over a 100ms period; shares 0 means unset. */
export function withCpu(opts: CpuOptions): SpecOpt {
  return (spec) => {
    const { nanoCpus = 0, shares = 0, quota = 0, period = 0 } = opts;
    if (shares < 0) throw new InvalidArgumentError('CpuShares: invalid argument');
    if (nanoCpus < 0) throw new InvalidArgumentError('NanoCpus: invalid argument');
    if (nanoCpus > 0 && period !== 0) throw new InvalidArgumentError('Conflicting options: Nano CPUs and CPU Period cannot both be set');
    if (nanoCpus > 0 && quota !== 0) throw new InvalidArgumentError('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
    if (period !== 0 && (period < 1000 || period > 1_000_000)) throw new InvalidArgumentError('CpuPeriod: CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
    if (quota > 0 && quota < 1000) throw new InvalidArgumentError('CpuQuota: CPU cfs quota can not be less than 1ms (i.e. 1000)');
    const cpu: LinuxCPU = {};
    if (shares > 0) cpu.shares = shares;
    if (opts.cpusetCpus) cpu.cpus = opts.cpusetCpus;
    if (opts.cpusetMems) cpu.mems = opts.cpusetMems;
    if (nanoCpus > 0) {
      cpu.period = CFS_PERIOD;
      cpu.quota = Math.trunc((nanoCpus * CFS_PERIOD) / 1e9);
    }
    if (period !== 0) cpu.period = period;
    if (quota !== 0) cpu.quota = quota;
    if (opts.realtimeRuntime) cpu.realtimeRuntime = opts.realtimeRuntime;
    if (opts.realtimePeriod) cpu.realtimePeriod = opts.realtimePeriod;
    if (Object.keys(cpu).length > 0) resources(spec).cpu = cpu;
  };
}

/** Docker accepts 0 and negatives as "unlimited"; runc spells that -1. */
export function withPidsLimit(limit: number | undefined): SpecOpt {
  return (spec) => {
    if (limit === undefined) return;
    resources(spec).pids = { limit: limit > 0 ? limit : -1 };
  };
}
