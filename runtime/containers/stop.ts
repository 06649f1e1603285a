import { constants } from 'node:os';
import { ConflictError, InvalidArgumentError, NotModifiedError } from '../errors.ts';
import type { ContainerContext } from './context.ts';

/**
 * Accept `SIGTERM`, `TERM`, `15`; return runc's spelling. Numbers are those Linux names (1-31
 * and the realtime 34-64, as moby's signal map); errors read as dockerd's.
 */
export function parseSignal(sig: string | number | undefined, fallback = 'SIGTERM'): string {
  if (sig === undefined || sig === '') return fallback;
  const s = String(sig).toUpperCase();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n === 0) throw new InvalidArgumentError(`Invalid signal: ${sig}`);
    if (n > 64 || n === 32 || n === 33) throw new InvalidArgumentError(`The linux daemon does not support signal ${n}`);
    return s;
  }
  const name = s.startsWith('SIG') ? s : `SIG${s}`;
  if (!(name in constants.signals) && !/^SIGRTM(IN|AX)([+-]\d+)?$/.test(name)) throw new InvalidArgumentError(`Invalid signal: ${sig}`);
  return name;
}

/** Resolves once the next exit of `id` is recorded: the container reads as stopped, its teardown may still run. */
function nextStop(ctx: ContainerContext, id: string): Promise<void> {
  return new Promise((resolve) => ctx.signals.once(`stopped:${id}`, () => resolve()));
}

/** Resolves after the next exit of `id` has been fully handled, teardown included. */
function nextExit(ctx: ContainerContext, id: string): Promise<void> {
  return new Promise((resolve) => ctx.signals.once(`exit:${id}`, () => resolve()));
}

/** Resolves once the teardown of an exit already recorded (if one is under way) has finished. */
export async function tornDown(ctx: ContainerContext, id: string): Promise<void> {
  await ctx.teardowns.get(id)?.catch(() => undefined);
}

/**
 * Docker's kill: SIGKILL (the default) returns once the exit is recorded, so an `inspect` or
 * `rm` right after it finds the container stopped; any other signal returns once delivered.
 * Errors read as dockerd words them, with the name the caller used.
 */
export async function killContainer(ctx: ContainerContext, id: string, signal?: string, asNamed = id): Promise<void> {
  const sig = parseSignal(signal, 'SIGKILL');
  const row = ctx.meta.get(id)!;
  if (!row.state.Running) throw new ConflictError(`Cannot kill container: ${asNamed}: Container ${id} is not running`);
  const killing = sig === 'SIGKILL' || sig === '9';
  // As dockerd's ExitOnNext: a kill (unless the image's own stop signal is some other one) ends the restart policy's hold.
  const stopSignal = row.record.Config.StopSignal ? parseSignal(row.record.Config.StopSignal) : undefined;
  if (killing || !stopSignal || stopSignal === sig) ctx.meta.setRecord(id, row.name, { ...row.record, ManuallyStopped: true });
  const exited = killing ? nextStop(ctx, id) : undefined;
  ctx.events.publish('container', 'kill', id, ctx.eventAttrs(row, { signal: String(constants.signals[sig as keyof typeof constants.signals] ?? sig) }));
  await ctx.tasks.kill(id, sig);
  // A frozen process can't act on a signal; let it run so it can die.
  if (row.state.Paused) await ctx.tasks.resume(id).catch(() => undefined);
  await exited;
}

/** SIGKILL and wait until the exit is recorded. */
export async function killAndWait(ctx: ContainerContext, id: string): Promise<void> {
  const exited = nextStop(ctx, id);
  await ctx.tasks.kill(id, 'SIGKILL');
  await ctx.tasks.resume(id).catch(() => undefined);
  await exited;
}

/** Docker's stop: the stop signal, a grace period, then SIGKILL. */
export async function stopContainer(ctx: ContainerContext, id: string, timeoutSec?: number, signal?: string): Promise<void> {
  const row = ctx.meta.get(id)!;
  if (row.state.Restarting) {
    ctx.meta.setRecord(id, row.name, { ...row.record, ManuallyStopped: true });
    ctx.setState(id, { Status: 'exited', Restarting: false });
    return;
  }
  if (!row.state.Running) throw new NotModifiedError(`Container ${id} is already stopped`);
  ctx.meta.setRecord(id, row.name, { ...row.record, ManuallyStopped: true });
  const sig = parseSignal(signal ?? row.record.Config.StopSignal);
  const grace = timeoutSec ?? row.record.Config.StopTimeout ?? 10;
  const exited = nextStop(ctx, id);
  ctx.events.publish('container', 'kill', id, ctx.eventAttrs(row, { signal: String(constants.signals[sig as keyof typeof constants.signals] ?? sig) }));
  await ctx.tasks.kill(id, sig);
  if (row.state.Paused) await ctx.tasks.resume(id).catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = grace < 0 ? new Promise<boolean>(() => undefined) : new Promise<boolean>((r) => { timer = setTimeout(() => r(true), grace * 1000); });
  const late = await Promise.race([exited.then(() => false), timedOut]);
  if (timer) clearTimeout(timer);
  if (late) {
    await ctx.tasks.kill(id, 'SIGKILL');
    await exited;
  }
  ctx.events.publish('container', 'stop', id, ctx.eventAttrs(row));
}

export async function pauseContainer(ctx: ContainerContext, id: string): Promise<void> {
  const row = ctx.meta.get(id)!;
  if (!row.state.Running) throw new ConflictError(`Container ${id} is not running`);
  if (row.state.Paused) throw new ConflictError(`Container ${id} is already paused`);
  await ctx.tasks.pause(id);
  ctx.setState(id, { Status: 'paused', Paused: true });
  ctx.events.publish('container', 'pause', id, ctx.eventAttrs(row));
}

export async function unpauseContainer(ctx: ContainerContext, id: string): Promise<void> {
  const row = ctx.meta.get(id)!;
  if (!row.state.Paused) throw new ConflictError(`Container ${id} is not paused`);
  await ctx.tasks.resume(id);
  ctx.setState(id, { Status: 'running', Paused: false });
  ctx.events.publish('container', 'unpause', id, ctx.eventAttrs(row));
}

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

/** Docker's wait: resolves with the exit code once the condition holds. */
export async function waitContainer(ctx: ContainerContext, id: string, condition: WaitCondition = 'not-running'): Promise<{ StatusCode: number; Error?: { Message: string } }> {
  const row = ctx.meta.get(id)!;
  if (condition === 'removed') {
    await new Promise<void>((r) => ctx.signals.once(`removed:${id}`, () => r()));
    return { StatusCode: row.state.ExitCode };
  }
  if (condition === 'not-running' && !row.state.Running && !row.state.Restarting) {
    await tornDown(ctx, id);
    return { StatusCode: row.state.ExitCode };
  }
  await nextExit(ctx, id);
  const after = ctx.meta.get(id);
  return { StatusCode: after?.state.ExitCode ?? row.state.ExitCode, ...(after?.state.Error ? { Error: { Message: after.state.Error } } : {}) };
}
