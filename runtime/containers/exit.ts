import type { ExitStatus } from '../tasks/exit-watch.ts';
import type { ContainerContext, Row } from './context.ts';
import { teardown } from './start.ts';

/** A recorded exit: the container as it was while running, how long that run lasted, whether it runs again. */
export interface RecordedExit { row: Row; code: number; ranFor: number; restarting: boolean }

/**
 * Record that a container's task exited: state, `oom` and `die` events, teardown of what the
 * start set up. Returns undefined when the exit was already handled (or the container is gone).
 * `restarts` is the restart monitor's decision, taken under the same lock, so no caller ever
 * sees a container that will restart as merely exited.
 */
export async function recordExit(ctx: ContainerContext, id: string, s: ExitStatus, restarts: (row: Row, code: number) => boolean): Promise<RecordedExit | undefined> {
  return ctx.lock.with(id, async () => {
    const row = ctx.meta.get(id);
    if (!row || !row.state.Running) {
      ctx.signals.emit(`stopped:${id}`);
      ctx.signals.emit(`exit:${id}`);
      return undefined;
    }
    const oom = await ctx.tasks.oomKilled(id);
    const startedAt = Date.parse(row.state.StartedAt);
    const restarting = restarts(row, s.code);
    ctx.setState(id, { Status: restarting ? 'restarting' : 'exited', Running: false, Paused: false, Restarting: restarting, OOMKilled: oom, Pid: 0, ExitCode: s.code, FinishedAt: s.finishedAt.toISOString() });
    const attrs = ctx.eventAttrs(row);
    if (oom) ctx.events.publish('container', 'oom', id, attrs);
    ctx.events.publish('container', 'die', id, { ...attrs, exitCode: String(s.code) });
    // A stop or kill returns here, as dockerd's does once the container is marked stopped: the
    // teardown below holds the container's lock, so a start, removal or file access waits for it,
    // and the network waits for it before it hands out the ports and addresses it releases.
    ctx.signals.emit(`stopped:${id}`);
    // Other waiters learn of the exit once nothing of the run is left (mounts, runc state, cgroups).
    const done = teardown(ctx, id);
    ctx.teardowns.set(id, done);
    try {
      await done;
    } finally {
      ctx.teardowns.delete(id);
    }
    ctx.signals.emit(`exit:${id}`);
    return { row, code: s.code, ranFor: s.finishedAt.getTime() - startedAt, restarting };
  });
}
