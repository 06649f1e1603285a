import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '../errors.ts';
import type { HostConfig } from './types.ts';

const RESTART = new Set(['', 'no', 'always', 'unless-stopped', 'on-failure']);

/** Reject bad host configs before anything touches disk, naming the field as Docker does. */
export function validateHostConfig(h: HostConfig): HostConfig {
  const p = h.RestartPolicy;
  if (p) {
    if (!RESTART.has(p.Name)) throw new InvalidArgumentError(`invalid restart policy: unknown policy '${p.Name}'; use one of 'no', 'always', 'on-failure' or 'unless-stopped'`);
    if (p.MaximumRetryCount && p.Name !== 'on-failure') throw new InvalidArgumentError(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
    if ((p.MaximumRetryCount ?? 0) < 0) throw new InvalidArgumentError('invalid restart policy: maximum retry count cannot be negative');
  }
  if (h.AutoRemove && p && p.Name !== '' && p.Name !== 'no') {
    throw new InvalidArgumentError(`conflicting options: cannot specify both --restart and --rm`);
  }
  if (h.Memory !== undefined && h.Memory !== 0 && h.Memory < 6 * 1024 * 1024) throw new InvalidArgumentError('Minimum memory limit allowed is 6MB');
  if (h.MemorySwap !== undefined && h.MemorySwap > 0 && h.Memory && h.MemorySwap < h.Memory) {
    throw new InvalidArgumentError('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  if (h.NanoCpus !== undefined && h.NanoCpus !== 0) {
    const max = availableParallelism();
    if (h.NanoCpus < 1e7) throw new InvalidArgumentError('Range of CPUs is from 0.01 to the number of CPUs available on the system');
    if (h.NanoCpus > max * 1e9) throw new InvalidArgumentError(`Range of CPUs is from 0.01 to ${max}.00, as there are only ${max} CPUs available`);
    if (h.CpuQuota || h.CpuPeriod) throw new InvalidArgumentError('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  }
  if (h.CpuRealtimePeriod && h.CpuRealtimeRuntime && h.CpuRealtimeRuntime > h.CpuRealtimePeriod) {
    throw new InvalidArgumentError('cpu real-time runtime cannot be higher than cpu real-time period', { field: 'HostConfig.CpuRealtimeRuntime' });
  }
  if (h.NetworkMode && !/^(default|bridge|host|none|container:.+|[a-zA-Z0-9][a-zA-Z0-9_.-]*)$/.test(h.NetworkMode)) {
    throw new InvalidArgumentError(`invalid NetworkMode: ${h.NetworkMode}`);
  }
  // Docker's default: as much swap as memory when only a memory limit is given.
  const swap = h.Memory && !h.MemorySwap ? h.Memory * 2 : h.MemorySwap;
  return { ...h, ...(swap !== undefined ? { MemorySwap: swap } : {}), RestartPolicy: p ?? { Name: 'no', MaximumRetryCount: 0 }, NetworkMode: h.NetworkMode || 'bridge' };
}
