import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineEvent, EventBus } from '../events/bus.ts';
import type { Spec } from '../oci/types.ts';
import type { ContainerContext } from '../containers/context.ts';
import { probeCommand, scheduleOf, type ProbeSchedule } from './config.ts';
import { runProbe, type Probe } from './probe.ts';
import { applyResult } from './result.ts';
import type { Health } from './types.ts';

/** What the health monitor needs of the container layer: records and state, tasks, events. */
export type HealthHost = Pick<ContainerContext, 'meta' | 'tasks' | 'dir' | 'eventAttrs' | 'setState'> & { events: EventBus };

interface Watch {
  startedAt: string;
  args: string[];
  schedule: ProbeSchedule;
  timer?: NodeJS.Timeout;
  probe?: Probe;
  running?: Promise<void>;
  stopped: boolean;
}

/**
 * Runs each running container's health check as dockerd does: one probe at a time, the next one
 * an interval after the last ended (the start interval while the container is starting within
 * its start period), each an exec in the container. It follows the container's life from the
 * event bus: a start begins probing, a pause, exit or removal ends it. State.Health is saved with
 * the container's state, so probing resumes where it was after an engine restart.
 */
export class HealthMonitor {
  private readonly watches = new Map<string, Watch>();
  private unsubscribe?: () => void;

  constructor(private readonly host: HealthHost) {}

  /** Follow container events; call before boot recovery, so restarts at boot are seen. */
  start(): void {
    this.unsubscribe ??= this.host.events.subscribe((e) => this.onEvent(e));
  }

  /** After boot recovery: probe the running containers no event started, keeping their health. */
  resume(): void {
    for (const row of this.host.meta.all()) {
      if (row.state.Running && !row.state.Paused && !this.watches.has(row.id)) this.begin(row.id, false);
    }
  }

  /** Stop every probe; containers keep running and their health stays as it was saved. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    const running = [...this.watches.keys()].map((id) => this.end(id, false));
    await Promise.all(running);
  }

  private onEvent(e: EngineEvent): void {
    if (e.Type !== 'container') return;
    const id = e.Actor.ID;
    if (e.Action === 'start') this.begin(id, true);
    else if (e.Action === 'unpause') this.begin(id, false);
    else if (e.Action === 'die' || e.Action === 'pause' || e.Action === 'destroy') void this.end(id, true);
  }

  /** A fresh start resets the status to `starting` and the streak, keeping the log (dockerd). */
  private begin(id: string, fresh: boolean): void {
    void this.end(id, false);
    const row = this.host.meta.get(id);
    if (!row?.state.Running || row.state.Paused) return;
    const args = probeCommand(row.record.Config.Healthcheck);
    if (!args) return;
    const prev = row.state.Health;
    if (fresh || !prev) this.host.setState(id, { Health: { Status: 'starting', FailingStreak: 0, Log: prev?.Log ?? [] } });
    const w: Watch = { startedAt: row.state.StartedAt, args, schedule: scheduleOf(row.record.Config.Healthcheck!), stopped: false };
    this.watches.set(id, w);
    this.next(id, w);
  }

  /**
   * Stop probing. dockerd reports a check whose monitor stopped (container paused or exited)
   * as unhealthy until it runs again.
   */
  private async end(id: string, unhealthy: boolean): Promise<void> {
    const w = this.watches.get(id);
    if (!w) return;
    this.watches.delete(id);
    w.stopped = true;
    clearTimeout(w.timer);
    w.probe?.cancel();
    const health = this.host.meta.get(id)?.state.Health;
    if (unhealthy && health) this.host.setState(id, { Health: { ...health, Status: 'unhealthy' } });
    await w.running;
  }

  private next(id: string, w: Watch): void {
    if (w.stopped) return;
    const s = w.schedule;
    const status = this.host.meta.get(id)?.state.Health?.Status;
    const inStartPeriod = Date.now() - Date.parse(w.startedAt) < s.startPeriod;
    const delay = inStartPeriod && status === 'starting' ? s.startInterval : s.interval;
    w.timer = setTimeout(() => {
      w.timer = undefined;
      w.running = this.probe(id, w).catch((e: unknown) => {
        // A container that stopped meanwhile took its bundle with it: nothing to report.
        if (!w.stopped) console.error(`wharf: health check of ${id} failed:`, e);
      }).finally(() => this.next(id, w));
    }, delay);
    w.timer.unref();
  }

  private async probe(id: string, w: Watch): Promise<void> {
    const spec = JSON.parse(await readFile(join(this.host.dir(id), 'config.json'), 'utf8')) as Spec;
    if (w.stopped) return;
    w.probe = runProbe(this.host.tasks, id, spec.process!, w.args, w.schedule.timeout);
    const result = await w.probe.result;
    w.probe = undefined;
    // A probe that the container's exit or a restart overtook says nothing about the new run.
    const row = this.host.meta.get(id);
    if (w.stopped || !row?.state.Running || row.state.StartedAt !== w.startedAt) return;
    const before: Health = row.state.Health ?? { Status: 'starting', FailingStreak: 0, Log: [] };
    const after = applyResult(before, result, { retries: w.schedule.retries, startPeriod: w.schedule.startPeriod, startedAt: w.startedAt });
    this.host.setState(id, { Health: after });
    if (after.Status !== before.Status) {
      this.host.events.publish('container', `health_status: ${after.Status}`, id, this.host.eventAttrs(row));
    }
  }
}
