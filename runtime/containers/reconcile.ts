import type { ContainerContext } from './context.ts';
import { handleExit, watchExit } from './exit.ts';
import { removeContainer } from './remove.ts';
import { startContainer } from './start.ts';

/**
 * Boot recovery: containers outlive the engine, so on start we compare each record with
 * runc's state and conmon's exit file, pick up the ones still running, and record the
 * exits that happened while we were away.
 */
export async function reconcileContainers(ctx: ContainerContext): Promise<void> {
  for (const row of ctx.meta.all()) {
    const { id } = row;
    try {
      if (row.state.Status === 'removing') {
        ctx.setState(id, { Running: false, Restarting: false });
        await removeContainer(ctx, id, { force: true });
        continue;
      }
      if (row.state.Restarting && !row.state.Running) {
        await ctx.lock.with(id, () => startContainer(ctx, row)).catch(() => undefined);
        continue;
      }
      if (!row.state.Running) continue;
      const exit = await ctx.tasks.exitStatus(id);
      const st = await ctx.tasks.state(id);
      if (!exit && st && (st.status === 'running' || st.status === 'paused')) {
        const paused = st.status === 'paused';
        if (paused !== row.state.Paused) ctx.setState(id, { Paused: paused, Status: paused ? 'paused' : 'running' });
        watchExit(ctx, id);
        continue;
      }
      // Gone while we were away: the exit file has the code; without one (host reboot) Docker reports 255.
      await handleExit(ctx, id, exit ?? { code: 255, finishedAt: new Date() });
    } catch (e) {
      console.error(`wharf: recovering container ${id} failed:`, e);
    }
  }
}
