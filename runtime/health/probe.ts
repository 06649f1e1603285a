import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '../util/ids.ts';
import type { Spec } from '../oci/types.ts';
import type { TaskService } from '../tasks/service.ts';
import { LimitedOutput } from './output.ts';
import type { HealthcheckResult } from './types.ts';

const KILL_ATTEMPTS = 200;
const KILL_GRACE_MS = 5000;

export type ProbeTasks = Pick<TaskService, 'exec' | 'killExec'>;

export interface Probe {
  result: Promise<HealthcheckResult>;
  /** Kill the probe's process (the container is stopping or the engine closing). */
  cancel(): void;
}

/**
 * One probe: an exec of `args` in the container with its user, cwd and environment, no TTY and
 * no stdin. A probe that outlives `timeoutMs` is killed and fails with exit code -1 and dockerd's
 * message; its output so far is kept.
 */
export function runProbe(tasks: ProbeTasks, id: string, base: NonNullable<Spec['process']>, args: string[], timeoutMs: number): Probe {
  const execId = newId();
  let stopped = false;
  let onStop = (): void => undefined;
  const stop = new Promise<void>((r) => { onStop = r; });
  const result = (async (): Promise<HealthcheckResult> => {
    const start = new Date();
    const output = new LimitedOutput();
    let started;
    try {
      started = await tasks.exec(id, execId, { ...base, terminal: false, args }, { tty: false, detach: false });
    } catch (e) {
      return { Start: start.toISOString(), End: new Date().toISOString(), ExitCode: -1, Output: e instanceof Error ? e.message : String(e) };
    }
    const { session } = started;
    session.stdin?.end();
    session.stdout.on('data', (d: Buffer) => output.write(d));
    session.stderr?.on('data', (d: Buffer) => output.write(d));
    const drained = Promise.all([ended(session.stdout), session.stderr ? ended(session.stderr) : undefined]);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); });
    const first = await Promise.race([session.exited, timedOut, stop.then(() => 'stopped' as const)]);
    clearTimeout(timer);
    if (typeof first === 'number') {
      // runc's exit is reported once its pipes closed, so the output is complete by now.
      await drained;
      return { Start: start.toISOString(), End: new Date().toISOString(), ExitCode: first, Output: output.toString() };
    }
    await killUntilExited(tasks, id, execId, session.exited);
    const out = output.toString();
    const msg = `Health check exceeded timeout (${goDuration(timeoutMs)})${out ? `: ${out}` : ''}`;
    return { Start: start.toISOString(), End: new Date().toISOString(), ExitCode: -1, Output: msg };
  })();
  return { result, cancel: () => { if (!stopped) { stopped = true; onStop(); } } };
}

/**
 * runc writes the exec's pid once the process runs: keep trying until the kill lands or the exec
 * ends. Bounded, so a probe whose runc never reports back cannot hold its container's monitor.
 */
async function killUntilExited(tasks: ProbeTasks, id: string, execId: string, exited: Promise<number>): Promise<void> {
  let done = false;
  void exited.then(() => { done = true; });
  for (let i = 0; i < KILL_ATTEMPTS && !done; i++) {
    if (await tasks.killExec(id, execId, 'SIGKILL')) break;
    await sleep(50);
  }
  const grace = new AbortController();
  await Promise.race([exited, sleep(KILL_GRACE_MS, undefined, { signal: grace.signal }).catch(() => undefined)]);
  grace.abort();
}

function ended(s: NodeJS.ReadableStream): Promise<void> {
  return new Promise((r) => { s.once('end', r); s.once('close', r); s.once('error', () => r()); });
}

/** Go's time.Duration String for whole milliseconds (`1s`, `1.5s`, `500ms`, `1m30s`). */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
