import { setTimeout as sleep } from 'node:timers/promises';
import { Ticker } from '../util/ticker.ts';
import { emptyStats, ZERO_TIME, type ContainerStats, type SampleTarget } from '../tasks/stats.ts';
import type { ContainerContext } from './context.ts';

export interface StatsOptions {
  /** Keep sending one reading per second until aborted (Docker's default). */
  stream: boolean;
  /** With `stream` off: answer the first reading at once instead of pairing two. */
  oneShot: boolean;
}

/** dockerd's collector interval, between the readings of a stream. */
const INTERVAL_MS = 1000;
/**
 * Between the two readings of `stream=false` (dockerd: its 1 s collector tick). A quarter
 * second is long enough for a steady CPU figure (the system counter ticks every 10 ms: 50
 * ticks on two cores) and `docker stats --no-stream` answers without waiting a full second.
 */
const PAIR_INTERVAL_MS = 250;
/** The collector every stream's readings follow. */
const collector = new Ticker(INTERVAL_MS);

function target(ctx: ContainerContext, row: NonNullable<ReturnType<ContainerContext['meta']['get']>>): SampleTarget {
  const host = row.record.HostConfig.NetworkMode === 'host';
  return { cgroupPath: `${ctx.cgroupParent}/${row.id}`, pid: host ? 0 : row.state.Pid };
}

const running = (row: { state: { Running: boolean; Restarting: boolean } }): boolean => row.state.Running && !row.state.Restarting;

async function read(ctx: ContainerContext, id: string): Promise<ContainerStats | undefined> {
  const row = ctx.meta.get(id);
  if (!row) return undefined;
  const name = `/${row.name}`;
  if (!running(row)) return emptyStats(name, id);
  const { networks, ...rest } = await ctx.tasks.stats(target(ctx, row));
  return { ...rest, name, id, ...(networks ? { networks } : {}) };
}

/**
 * Readings as dockerd's stats endpoint sends them: each one carries the previous one's CPU
 * figures as `precpu_stats`, so a client can turn two cumulative counters into a percentage.
 * Without `stream`, dockerd waits for a second reading so that pair is never empty (so does
 * this engine, a quarter second apart); `oneShot` skips that wait. A container that is not
 * running reads as zeros with its name and id.
 */
export async function* containerStats(ctx: ContainerContext, id: string, opts: StatsOptions, signal?: AbortSignal): AsyncGenerator<ContainerStats> {
  if (!opts.stream) {
    const one = await pairedReading(ctx, id, opts.oneShot, signal);
    if (one) yield one;
    return;
  }
  let prev = await read(ctx, id);
  if (!prev) return;
  let at = Date.now();
  yield prev;
  while (!signal?.aborted) {
    // The collector's next tick; one less than half an interval after this stream's last
    // reading is skipped, so a CPU figure never covers a sliver of time.
    do {
      if (!(await collector.next(signal))) return;
    } while (Date.now() - at < INTERVAL_MS / 2);
    at = Date.now();
    const next = await read(ctx, id);
    if (!next) return;
    next.precpu_stats = prev.cpu_stats;
    next.preread = prev.read;
    prev = next;
    yield next;
  }
}

/**
 * One reading (`stream=false`). Of the earlier reading it is paired with, only the CPU
 * figures are sent, so only those are read: `docker stats --no-stream` over a hundred
 * containers then reads a fifth of the cgroup files it otherwise would.
 */
async function pairedReading(ctx: ContainerContext, id: string, oneShot: boolean, signal?: AbortSignal): Promise<ContainerStats | undefined> {
  const row = ctx.meta.get(id);
  if (!row) return undefined;
  if (oneShot || !running(row)) return read(ctx, id);
  const before = await ctx.tasks.cpuStats(target(ctx, row));
  try { await sleep(PAIR_INTERVAL_MS, undefined, { signal }); } catch { return undefined; }
  const after = await read(ctx, id);
  if (after && after.read !== ZERO_TIME) {
    after.precpu_stats = before.cpu_stats;
    after.preread = before.read;
  }
  return after;
}
