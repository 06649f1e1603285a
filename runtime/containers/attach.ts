import { PassThrough, type Writable } from 'node:stream';
import type { LogChunk } from '../tasks/logs/index.ts';
import type { StdinConnection } from '../tasks/attach.ts';
import type { EngineEvent } from '../events/bus.ts';
import type { ContainerContext, Row } from './context.ts';

export interface AttachOptions {
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  /** Replay the container's log from its beginning first. */
  logs?: boolean;
  /** Keep streaming new output until the container's next exit. */
  stream?: boolean;
}

/** One client attached to a container's stdio. */
export interface AttachSession {
  /** The container's output from the attach moment (from the start with `logs`), in order. */
  output: AsyncIterable<LogChunk>;
  /** Bytes for the container's stdin; null unless asked for and the container keeps stdin open. */
  stdin: Writable | null;
  /** Resolves at the container's next exit (or its removal). */
  ended: Promise<void>;
  /** The client went away: stop reading and let go of stdin. */
  close(): void;
}

/** A TTY's input connection, shared by every attach until the container exits. */
const ttyInputs = new WeakMap<ContainerContext, Map<string, StdinConnection>>();

/**
 * Docker's attach on top of conmon. Output is the log conmon writes (every byte, timestamped),
 * followed from the attach moment, so a client attached before `start` (as `docker run` does)
 * sees everything the run prints. Input is buffered until the container runs, then pumped
 * into conmon's attach socket.
 *
 * How input ends follows dockerd: without a TTY, the end of a client's input hangs up its
 * connection, which closes the container's stdin when it was created with StdinOnce (conmon
 * then runs without --leave-stdin-open). A TTY's stdin is never closed by an attach ending
 * (a detached shell must stay usable for the next `docker attach`), so TTY clients write into
 * one connection per container that lives until the container exits.
 */
export function attachContainer(ctx: ContainerContext, row: Row, opts: AttachOptions): AttachSession {
  const { id } = row;
  const abort = new AbortController();
  const cleanups: (() => void)[] = [];
  const ended = new Promise<void>((resolve) => {
    const done = (): void => resolve();
    ctx.signals.once(`exit:${id}`, done);
    ctx.signals.once(`removed:${id}`, done);
    cleanups.push(() => { ctx.signals.off(`exit:${id}`, done); ctx.signals.off(`removed:${id}`, done); });
  });
  const attachedNs = BigInt(Date.now()) * 1_000_000n;
  const output = opts.stdout === false && opts.stderr === false
    ? emptyOutput(opts.stream ? ended : Promise.resolve(), abort.signal)
    : ctx.logs.follow(id, {
      follow: !!opts.stream,
      sinceNs: opts.logs ? undefined : attachedNs,
      stdout: opts.stdout ?? true,
      stderr: opts.stderr ?? true,
      exited: ended,
      merge: true,
    }, abort.signal);
  const stdin = opts.stdin && row.record.Config.OpenStdin ? pumpStdin(ctx, id, row.record.Config.Tty, ended, cleanups) : null;
  return {
    output,
    stdin,
    ended,
    close() {
      abort.abort();
      for (const c of cleanups.splice(0)) c();
    },
  };
}

/** Buffer the client's input until the container runs, then forward it to conmon. */
function pumpStdin(ctx: ContainerContext, id: string, tty: boolean, ended: Promise<void>, cleanups: (() => void)[]): Writable {
  const input = new PassThrough();
  input.on('error', () => undefined);
  let conn: StdinConnection | undefined;
  let done = false;
  const connect = (): void => {
    if (conn || done) return;
    conn = tty ? sharedTtyInput(ctx, id) : ctx.tasks.attachStdin(id);
    input.pipe(conn.input, { end: !tty });
    // conmon dropped the connection (the container exited): stop feeding it.
    void conn.closed.then(() => input.unpipe());
  };
  const unsubscribe = ctx.events.subscribe((e: EngineEvent) => {
    if (e.Type === 'container' && e.Action === 'start' && e.Actor.ID === id) connect();
  });
  if (ctx.meta.get(id)?.state.Running) connect();
  const stop = (): void => {
    if (done) return;
    done = true;
    unsubscribe();
    if (conn) input.unpipe(conn.input);
    if (!tty) conn?.close();
    input.destroy();
  };
  void ended.then(stop);
  // The session closed (the client went away or detached): an unshared connection hangs up
  // once the input already received has been handed over (socat exits soon after its EOF).
  cleanups.push(() => {
    if (tty || !conn) { stop(); return; }
    if (!input.writableEnded) input.end();
    void conn.closed.then(stop);
  });
  return input;
}

function sharedTtyInput(ctx: ContainerContext, id: string): StdinConnection {
  let byId = ttyInputs.get(ctx);
  if (!byId) ttyInputs.set(ctx, (byId = new Map()));
  const existing = byId.get(id);
  if (existing) return existing;
  const conn = ctx.tasks.attachStdin(id);
  byId.set(id, conn);
  const drop = (): void => {
    if (byId.get(id) === conn) byId.delete(id);
    conn.close();
  };
  ctx.signals.once(`exit:${id}`, drop);
  void conn.closed.then(() => {
    ctx.signals.off(`exit:${id}`, drop);
    drop();
  });
  return conn;
}

/** Output for an attach that asked for neither stream: it just lasts as long as the attach. */
function emptyOutput(until: Promise<void>, signal: AbortSignal): AsyncIterable<LogChunk> {
  const aborted = new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
  return {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<LogChunk>> => {
        await Promise.race([until, aborted]);
        return { done: true, value: undefined };
      },
    }),
  };
}
