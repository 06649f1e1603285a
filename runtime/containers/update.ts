import { availableParallelism } from 'node:os';
import { InvalidArgumentError, UnavailableError } from '../errors.ts';
import { CFS_PERIOD } from '../oci/resources.ts';
import type { LinuxResources } from '../oci/types.ts';
import type { ContainerContext } from './context.ts';
import type { HostConfig } from './types.ts';
import { validateResourceNumbers } from './validate-fields.ts';

/** The body of `POST /containers/{id}/update` (Docker's UpdateConfig: Resources + RestartPolicy). */
export type UpdateRequest = Pick<HostConfig,
  'Memory' | 'MemoryReservation' | 'MemorySwap' | 'NanoCpus' | 'CpuShares' | 'CpuPeriod' | 'CpuQuota'
  | 'CpusetCpus' | 'CpusetMems' | 'PidsLimit' | 'RestartPolicy'> & { [other: string]: unknown };

const MIN_MEMORY = 6 * 1024 * 1024;
const NUMERIC = ['Memory', 'MemoryReservation', 'MemorySwap', 'NanoCpus', 'CpuShares', 'CpuPeriod', 'CpuQuota', 'PidsLimit'] as const;
/** Resources Docker can update that Wharf does not apply: accepted when zero/empty, as the CLI always sends them. */
const UNSUPPORTED = ['BlkioWeight', 'KernelMemory', 'KernelMemoryTCP', 'CpuRealtimePeriod', 'CpuRealtimeRuntime', 'MemorySwappiness', 'OomKillDisable', 'CpuCount', 'CpuPercent'];
const RESTART = new Set(['', 'no', 'always', 'unless-stopped', 'on-failure']);

/** `0-3,5`: the CPUs a cpuset list names; undefined when the syntax is wrong. */
export function parseCpuList(list: string): number[] | undefined {
  const out: number[] = [];
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) return undefined;
    for (let i = lo; i <= hi; i++) out.push(i);
  }
  return out;
}

/** moby's verifyPlatformContainerResources for an update: the request alone, before anything changes. */
export function validateUpdate(u: UpdateRequest): string[] {
  validateResourceNumbers(u, '');
  for (const k of NUMERIC) {
    const v = u[k];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isInteger(v))) throw new InvalidArgumentError(`invalid value for ${k}: ${JSON.stringify(v)}`);
  }
  for (const k of ['CpusetCpus', 'CpusetMems'] as const) {
    if (u[k] !== undefined && typeof u[k] !== 'string') throw new InvalidArgumentError(`invalid value for ${k}: ${JSON.stringify(u[k])}`);
  }
  const mem = u.Memory ?? 0;
  const swap = u.MemorySwap ?? 0;
  const reservation = u.MemoryReservation ?? 0;
  if (mem !== 0 && mem < MIN_MEMORY) throw new InvalidArgumentError('Minimum memory limit allowed is 6MB');
  if (mem > 0 && swap > 0 && swap < mem) throw new InvalidArgumentError('Minimum memoryswap limit should be larger than memory limit, see usage');
  if (mem > 0 && reservation > 0 && mem < reservation) throw new InvalidArgumentError('Minimum memory limit can not be less than memory reservation limit, see usage');
  if (reservation !== 0 && reservation < MIN_MEMORY) throw new InvalidArgumentError('Minimum memory reservation allowed is 6MB');
  if ((u.CpuShares ?? 0) < 0) throw new InvalidArgumentError(`invalid CPU shares: ${u.CpuShares}`);
  const nano = u.NanoCpus ?? 0;
  if (nano > 0 && (u.CpuPeriod ?? 0) > 0) throw new InvalidArgumentError('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nano > 0 && (u.CpuQuota ?? 0) > 0) throw new InvalidArgumentError('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  const ncpu = availableParallelism();
  if (nano < 0 || nano > ncpu * 1e9) throw new InvalidArgumentError(`Range of CPUs is from 0.01 to ${ncpu}.00, as there are only ${ncpu} CPUs available`);
  const period = u.CpuPeriod ?? 0;
  if (period !== 0 && (period < 1000 || period > 1_000_000)) throw new InvalidArgumentError('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  if ((u.CpuQuota ?? 0) > 0 && (u.CpuQuota ?? 0) < 1000) throw new InvalidArgumentError('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if (u.CpusetCpus) {
    const cpus = parseCpuList(u.CpusetCpus);
    if (!cpus) throw new InvalidArgumentError(`Invalid value ${u.CpusetCpus} for cpuset cpus`);
    if (cpus.some((c) => c >= ncpu)) throw new InvalidArgumentError(`Requested CPUs are not available - requested ${u.CpusetCpus}, available: ${ncpu === 1 ? '0' : `0-${ncpu - 1}`}`);
  }
  if (u.CpusetMems && !parseCpuList(u.CpusetMems)) throw new InvalidArgumentError(`Invalid value ${u.CpusetMems} for cpuset mems`);
  const p = u.RestartPolicy;
  if (p !== undefined) {
    if (typeof p !== 'object' || p === null || typeof p.Name !== 'string') throw new InvalidArgumentError('invalid RestartPolicy');
    if (!RESTART.has(p.Name)) throw new InvalidArgumentError(`invalid restart policy: unknown policy '${p.Name}'; use one of 'no', 'always', 'on-failure' or 'unless-stopped'`);
    if ((p.MaximumRetryCount ?? 0) < 0) throw new InvalidArgumentError('invalid restart policy: maximum retry count cannot be negative');
    if (p.MaximumRetryCount && p.Name !== 'on-failure') throw new InvalidArgumentError(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  }
  return UNSUPPORTED.filter((k) => u[k] !== undefined && u[k] !== null && u[k] !== 0 && u[k] !== false)
    .map((k) => `${k} is not supported by this engine and was discarded`);
}

/** moby's Container.UpdateContainer: merge into the stored host config, refusing combinations that cannot hold. */
export function mergeUpdate(id: string, h: HostConfig, u: UpdateRequest): HostConfig {
  const fail = (msg: string): never => { throw new InvalidArgumentError(`Cannot update container ${id}: ${msg}`); };
  const next: HostConfig = { ...h };
  if ((u.NanoCpus ?? 0) > 0 && (h.CpuPeriod ?? 0) > 0) fail('Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
  if ((u.NanoCpus ?? 0) > 0 && (h.CpuQuota ?? 0) > 0) fail('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
  if ((u.CpuPeriod ?? 0) > 0 && (h.NanoCpus ?? 0) > 0) fail('Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
  if ((u.CpuQuota ?? 0) > 0 && (h.NanoCpus ?? 0) > 0) fail('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
  if (u.CpuShares) next.CpuShares = u.CpuShares;
  if (u.NanoCpus) next.NanoCpus = u.NanoCpus;
  if (u.CpuPeriod) next.CpuPeriod = u.CpuPeriod;
  if (u.CpuQuota) next.CpuQuota = u.CpuQuota;
  if (u.CpusetCpus) next.CpusetCpus = u.CpusetCpus;
  if (u.CpusetMems) next.CpusetMems = u.CpusetMems;
  if (u.Memory) {
    if (u.Memory > (h.MemorySwap ?? 0) && !u.MemorySwap) fail('Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
    next.Memory = u.Memory;
  }
  if (u.MemorySwap) next.MemorySwap = u.MemorySwap;
  if (u.MemoryReservation) next.MemoryReservation = u.MemoryReservation;
  if (u.PidsLimit !== undefined && u.PidsLimit !== null) next.PidsLimit = u.PidsLimit > 0 ? u.PidsLimit : 0;
  if (u.RestartPolicy?.Name) {
    if (u.RestartPolicy.Name !== 'no' && h.AutoRemove) fail('Restart policy cannot be updated because AutoRemove is enabled for the container');
    next.RestartPolicy = { Name: u.RestartPolicy.Name, MaximumRetryCount: u.RestartPolicy.MaximumRetryCount ?? 0 };
  }
  return next;
}

/** moby's toContainerdResources: only what the request sets reaches the runtime. */
export function updateResources(u: UpdateRequest): LinuxResources {
  const r: LinuxResources = {};
  const cpu: NonNullable<LinuxResources['cpu']> = {};
  if (u.CpuShares) cpu.shares = u.CpuShares;
  if (u.CpusetCpus) cpu.cpus = u.CpusetCpus;
  if (u.CpusetMems) cpu.mems = u.CpusetMems;
  if (u.NanoCpus) {
    cpu.period = CFS_PERIOD;
    cpu.quota = Math.trunc((u.NanoCpus * CFS_PERIOD) / 1e9);
  }
  if (!cpu.quota && u.CpuQuota) cpu.quota = u.CpuQuota;
  if (!cpu.period && u.CpuPeriod) cpu.period = u.CpuPeriod;
  if (Object.keys(cpu).length) r.cpu = cpu;
  const memory: NonNullable<LinuxResources['memory']> = {};
  if (u.Memory) memory.limit = u.Memory;
  if (u.MemoryReservation) memory.reservation = u.MemoryReservation;
  if ((u.MemorySwap ?? 0) > 0) memory.swap = u.MemorySwap;
  if (Object.keys(memory).length) r.memory = memory;
  // runc needs -1 to lift a pids limit; Docker's API spells that 0 or negative.
  if (u.PidsLimit !== undefined && u.PidsLimit !== null) r.pids = { limit: u.PidsLimit > 0 ? u.PidsLimit : -1 };
  return r;
}

/**
 * `docker update`: validated first, saved in the record, and applied live with `runc update`
 * when the container runs (paused included). If the runtime refuses, the record is put back.
 */
export async function updateContainer(ctx: ContainerContext, id: string, u: UpdateRequest): Promise<{ Warnings: string[] }> {
  const warnings = validateUpdate(u);
  return ctx.lock.with(id, async () => {
    const row = ctx.meta.get(id)!;
    const next = mergeUpdate(id, row.record.HostConfig, u);
    ctx.meta.setRecord(id, row.name, { ...row.record, HostConfig: next });
    if (row.state.Running && !row.state.Restarting) {
      const resources = updateResources(u);
      if (Object.keys(resources).length) {
        try {
          await ctx.tasks.update(id, resources);
        } catch (e) {
          ctx.meta.setRecord(id, row.name, row.record);
          throw new UnavailableError(`Cannot update container ${id}: ${(e as Error).message}`, { cause: e });
        }
      }
    }
    ctx.events.publish('container', 'update', id, ctx.eventAttrs(ctx.meta.get(id)!));
    return { Warnings: warnings };
  });
}
