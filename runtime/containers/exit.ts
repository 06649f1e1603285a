import type { ExitStatus } from '../tasks/exit-watch.ts';
import type { ContainerContext } from './context.ts';
import { startContainer, teardown } from './start.ts';
import { removeContainer } from './remove.ts';

const backoff = new WeakMap<ContainerContext, Map<string, number>>();

/** Follow a started task until it exits, then record the exit and apply the restart policy. */
export function watchExit(ctx: ContainerContext, id: string): void {
  ctx.tasks.wait(id).then((s) => handleExit(ctx, id, s)).catch((e: unknown) => {
    console.error(`wharf: handling the exit of ${id} failed:`, e);
  });
}

export async function handleExit(ctx: ContainerContext, id: string, s: ExitStatus): Promise<void> {
  const outcome = await ctx.lock.with(id, async () => {
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
    return { row, ranFor: s.finishedAt.getTime() - startedAt };
  });
  if (!outcome) return;
  const { row } = outcome;
  if (shouldRestart(row.record.HostConfig.RestartPolicy, row.record.ManuallyStopped, s.code, row.record.RestartCount)) {
    scheduleRestart(ctx, id, outcome.ranFor);
  } else if (row.record.HostConfig.AutoRemove) {
    await removeContainer(ctx, id, { force: true });
  }
}

function shouldRestart(p: { Name: string; MaximumRetryCount?: number } | undefined, manual: boolean, code: number, count: number): boolean {
  if (!p || manual) return false;
  switch (p.Name) {
    case 'always':
    case 'unless-stopped': return true;
    case 'on-failure': return code !== 0 && (!p.MaximumRetryCount || count < p.MaximumRetryCount);
    default: return false;
  }
}

/** Docker's back-off: 100 ms doubling per quick failure, reset after 10 s of running. */
function scheduleRestart(ctx: ContainerContext, id: string, ranFor: number): void {
  let m = backoff.get(ctx);
  if (!m) backoff.set(ctx, (m = new Map()));
  const delay = ranFor > 10_000 ? 100 : Math.min((m.get(id) ?? 50) * 2, 60_000);
  m.set(id, delay);
  ctx.setState(id, { Status: 'restarting', Restarting: true });
  const timer = setTimeout(() => {
    void ctx.lock.with(id, async () => {
      const row = ctx.meta.get(id);
      if (!row || !row.state.Restarting || row.record.ManuallyStopped) return;
      ctx.meta.setRecord(id, row.name, { ...row.record, RestartCount: row.record.RestartCount + 1 });
      await startContainer(ctx, ctx.meta.get(id)!).catch((e: unknown) => {
        ctx.setState(id, { Status: 'exited', Restarting: false });
        console.error(`wharf: restarting ${id} failed:`, e);
      });
    });
  }, delay);
  timer.unref();
}
