import { setTimeout as sleep } from 'node:timers/promises';
import { emptyStats, ZERO_TIME, type ContainerStats } from '../tasks/stats.ts';
import type { ContainerContext } from './context.ts';

export interface StatsOptions {
  /** Keep sending one reading per second until aborted (Docker's default). */
  stream: boolean;
  /** With `stream` off: answer the first reading at once instead of pairing two. */
  oneShot: boolean;
}

/** dockerd's collector interval. */
const INTERVAL_MS = 1000;

async function read(ctx: ContainerContext, id: string): Promise<ContainerStats | undefined> {
  const row = ctx.meta.get(id);
  if (!row) return undefined;
  const name = `/${row.name}`;
  if (!row.state.Running || row.state.Restarting) return emptyStats(name, id);
  const host = row.record.HostConfig.NetworkMode === 'host';
  const s = await ctx.tasks.stats({ cgroupPath: `${ctx.cgroupParent}/${id}`, pid: host ? 0 : row.state.Pid });
  const { networks, ...rest } = s;
  return { ...rest, name, id, ...(networks ? { networks } : {}) };
}

/**
 * Readings as dockerd's stats endpoint sends them: each one carries the previous one's CPU
 * figures as `precpu_stats`, so a client can turn two cumulative counters into a percentage.
 * Without `stream`, dockerd waits for a second reading so that pair is never empty; `oneShot`
 * skips that wait. A container that is not running reads as zeros with its name and id.
 */
export async function* containerStats(ctx: ContainerContext, id: string, opts: StatsOptions, signal?: AbortSignal): AsyncGenerator<ContainerStats> {
  const first = await read(ctx, id);
  if (!first) return;
  const running = first.read !== ZERO_TIME;
  if (!opts.stream && (!running || opts.oneShot)) {
    yield first;
    return;
  }
  let prev = first;
  if (opts.stream) yield first;
  while (!signal?.aborted) {
    try { await sleep(INTERVAL_MS, undefined, { signal }); } catch { return; }
    const next = await read(ctx, id);
    if (!next) return;
    next.precpu_stats = prev.cpu_stats;
    next.preread = prev.read;
    prev = next;
    yield next;
    if (!opts.stream) return;
  }
}

