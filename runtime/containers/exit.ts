import type { ExitStatus } from '../tasks/exit-watch.ts';
import type { ContainerContext, Row } from './context.ts';
import { teardown } from './start.ts';

/** A recorded exit: the container as it was while running, and how long that run lasted. */
export interface RecordedExit { row: Row; code: number; ranFor: number }

/**
 * Record that a container's task exited: state, `oom` and `die` events, teardown of what the
 * start set up. Returns undefined when the exit was already handled (or the container is gone).
 * Whether it runs again is the restart monitor's decision, not this function's.
 */
export async function recordExit(ctx: ContainerContext, id: string, s: ExitStatus): Promise<RecordedExit | undefined> {
  return ctx.lock.with(id, async () => {
    const row = ctx.meta.get(id);
    if (!row || !row.state.Running) {
      ctx.signals.emit(`exit:${id}`);
      return undefined;
    }
    const oom = await ctx.tasks.oomKilled(id);
    const startedAt = Date.parse(row.state.StartedAt);
    ctx.setState(id, { Status: 'exited', Running: false, Paused: false, Restarting: false, OOMKilled: oom, Pid: 0, ExitCode: s.code, FinishedAt: s.finishedAt.toISOString() });
    const attrs = ctx.eventAttrs(row);
    if (oom) ctx.events.publish('container', 'oom', id, attrs);
    ctx.events.publish('container', 'die', id, { ...attrs, exitCode: String(s.code) });
    // Waiters learn of the exit once nothing of the run is left (mounts, runc state, cgroups).
    await teardown(ctx, id);
    ctx.signals.emit(`exit:${id}`);
    return { row, code: s.code, ranFor: s.finishedAt.getTime() - startedAt };
  });
}
