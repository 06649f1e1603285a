import type { ExitStatus } from '../tasks/exit-watch.ts';
import type { ContainerContext } from './context.ts';
import { recordExit } from './exit.ts';
import { removeContainer } from './remove.ts';
import { nextDelay, restartsAtBoot, shouldRestart } from './restart-policy.ts';
import { startContainer } from './start.ts';

/**
 * Owns what happens after a container's task exits: it records the exit, then applies the
 * restart policy with Docker's back-off, or removes an `--rm` container. `docker start` and
 * every restart (by policy, at boot) go through `launch`, so a restarted container gets exactly
 * what a started one gets: its volumes, binds, tmpfs and files.
 */
export class RestartMonitor {
  private readonly delays = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Exits being recorded and restarts under way: the engine closes only after they settle. */
  private readonly inflight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly ctx: ContainerContext) {}

  /**
   * Start the container's task and watch it; the caller holds the container's lock. A manual
   * start clears a manual stop and, as in Docker, the restart count and back-off.
   */
  async launch(id: string, how: 'manual' | 'policy'): Promise<void> {
    const row = this.ctx.meta.get(id)!;
    if (how === 'manual') {
      this.cancel(id);
      this.delays.delete(id);
      this.ctx.meta.setRecord(id, row.name, { ...row.record, ManuallyStopped: false, RestartCount: 0 });
    } else {
      this.ctx.meta.setRecord(id, row.name, { ...row.record, RestartCount: row.record.RestartCount + 1 });
    }
    await startContainer(this.ctx, this.ctx.meta.get(id)!);
    this.watch(id);
  }

  /** Follow a running task until it exits. */
  watch(id: string): void {
    this.ctx.tasks.wait(id).then((s) => this.closed ? undefined : this.track(this.exited(id, s))).catch((e: unknown) => {
      console.error(`wharf: handling the exit of ${id} failed:`, e);
    });
  }

  /** A task exited (now, or while the engine was away): record it, then restart or remove. */
  async exited(id: string, s: ExitStatus): Promise<void> {
    const exit = await recordExit(this.ctx, id, s, (row, code) => {
      const rec = row.record;
      return !this.closed && shouldRestart(rec.HostConfig.RestartPolicy, rec.ManuallyStopped, code, rec.RestartCount);
    });
    if (!exit) return;
    if (exit.restarting) this.schedule(id, exit.ranFor);
    else if (exit.row.record.HostConfig.AutoRemove && !this.closed) await removeContainer(this.ctx, id, { force: true, volumes: true });
  }

  /** A manual stop or removal wins over a pending restart. */
  cancel(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  /** Stop restarting; resolves once no exit or restart is being handled any more. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    return p;
  }

  /**
   * At engine start, after the exits that happened while it was away are recorded: containers
   * caught between two runs, and `always`/`unless-stopped` ones that are down but were not
   * stopped by hand, run again (a manual stop survives an engine restart).
   */
  async boot(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const row = this.ctx.meta.get(id);
      if (!row || row.state.Running || row.state.Paused || row.state.Status === 'created' || row.state.Status === 'removing') continue;
      const rec = row.record;
      if (rec.ManuallyStopped || this.timers.has(id)) continue;
      if (row.state.Restarting || restartsAtBoot(rec.HostConfig.RestartPolicy)) {
        this.ctx.setState(id, { Status: 'restarting', Restarting: true });
        this.restartNow(id);
      }
    }
  }

  private schedule(id: string, ranFor: number): void {
    const delay = nextDelay(this.delays.get(id), ranFor);
    this.delays.set(id, delay);
    this.cancel(id);
    const timer = setTimeout(() => { this.timers.delete(id); this.restartNow(id); }, delay);
    timer.unref();
    this.timers.set(id, timer);
  }

  private restartNow(id: string): void {
    void this.track(this.ctx.lock.with(id, async () => {
      if (this.closed) return;
      const row = this.ctx.meta.get(id);
      if (!row || !row.state.Restarting || row.state.Running || row.record.ManuallyStopped) return;
      await this.launch(id, 'policy').catch((e: unknown) => {
        // As in Docker, a restart that fails leaves the container stopped; the next start is the user's.
        if (this.ctx.meta.get(id)) this.ctx.setState(id, { Status: 'exited', Restarting: false });
        console.error(`wharf: restarting ${id} failed:`, e);
      });
    }));
  }
}
