import type { ContainerContext } from './context.ts';
import { removeContainer } from './remove.ts';
import type { RestartMonitor } from './restart-monitor.ts';

/**
 * Boot recovery: containers outlive the engine, so on start we compare each record with
 * runc's state and conmon's exit file, pick up the ones still running, record the exits
 * that happened while we were away, and let the restart monitor bring back what its
 * policies say should run.
 */
export async function reconcileContainers(ctx: ContainerContext, monitor: RestartMonitor): Promise<void> {
  const ids: string[] = [];
  for (const row of ctx.meta.all()) {
    const { id } = row;
    try {
      if (row.state.Status === 'removing') {
        ctx.setState(id, { Running: false, Restarting: false });
        await removeContainer(ctx, id, { force: true });
        continue;
      }
      ids.push(id);
      if (!row.state.Running) continue;
      const exit = await ctx.tasks.exitStatus(id);
      const st = await ctx.tasks.state(id);
      if (!exit && st && (st.status === 'running' || st.status === 'paused')) {
        const paused = st.status === 'paused';
        if (paused !== row.state.Paused) ctx.setState(id, { Paused: paused, Status: paused ? 'paused' : 'running' });
        monitor.watch(id);
        continue;
      }
      // Gone while we were away: the exit file has the code; without one (host reboot) Docker reports 255.
      await monitor.exited(id, exit ?? { code: 255, finishedAt: new Date() });
    } catch (e) {
      console.error(`wharf: recovering container ${id} failed:`, e);
    }
  }
  await monitor.boot(ids);
}
