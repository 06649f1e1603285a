import type { Readable, Writable } from 'node:stream';
import type { ExecSession } from '../../../runtime/index.ts';
import { badRequest } from '../errors.ts';
import type { Request, Route } from '../router.ts';
import { readJSON, sendEmpty } from '../respond.ts';
import { beginRawStream, frame } from '../stream.ts';
import { parseConsoleSize } from './console-size.ts';
import { DetachFilter, parseDetachKeys } from '../containers/detach-keys.ts';
import { publishContainerEvent } from '../containers/events.ts';

function ended(s: Readable | null): Promise<void> {
  if (!s || s.readableEnded || s.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    s.once('end', resolve);
    s.once('close', resolve);
    s.once('error', () => resolve());
  });
}

/**
 * Pump a started exec over the connection: output (stdcopy-framed without a TTY, raw with
 * one) until the process has exited and its output is drained, input from the hijacked socket
 * until the client half-closes its side, which the process sees as end of input. With a TTY,
 * the detach keys end the connection and leave the process running.
 */
async function stream(r: Request, session: ExecSession, tty: boolean, terminal: boolean, attach: { stdin: boolean; stdout: boolean; stderr: boolean }, keys: Buffer, onDetach: () => void): Promise<void> {
  const out: Writable = beginRawStream(r.res, r.upgrade, tty);
  let closed = false;
  const sources = [session.stdout, session.stderr].filter((s): s is Readable => s !== null);
  out.on('error', () => { closed = true; });
  let leftRunning = false;
  // The client went away (a closed console, a killed `docker exec -it`): its terminal hangs up.
  // Not after the detach keys: then the process runs on, its input kept open as dockerd keeps it.
  out.on('close', () => {
    closed = true;
    if (leftRunning) return;
    session.stdin?.end();
    session.hangup();
  });
  out.on('drain', () => { for (const s of sources) s.resume(); });
  const forward = (src: Readable | null, kind: 1 | 2, wanted: boolean): void => {
    if (!src) return;
    src.on('data', (chunk: Buffer) => {
      if (closed || !wanted) return;
      if (!out.write(tty ? chunk : frame(kind, chunk))) for (const s of sources) s.pause();
    });
  };
  forward(session.stdout, 1, attach.stdout);
  forward(session.stderr, 2, attach.stderr);

  const socket = r.upgrade?.socket;
  let detached: () => void = () => undefined;
  const detach = new Promise<void>((resolve) => { detached = resolve; });
  if (attach.stdin && session.stdin && socket) {
    const stdin = session.stdin;
    // As dockerd, only a TTY's input is watched for the detach keys; other input passes as is.
    const input: Readable = tty ? socket.pipe(new DetachFilter(keys)) : socket;
    input.once('detach', () => { leftRunning = true; detached(); });
    // Input after the process has gone has nowhere to go.
    input.on('data', (d: Buffer) => { try { stdin.write(d); } catch { /* exited */ } });
    // A terminal has no end of input, only a hang-up: a TTY client closing its side is gone (a
    // closed console, a killed `docker exec -it`), which a unix socket shows only as this end.
    input.once('end', () => { if (leftRunning) return; stdin.end(); if (terminal) session.hangup(); });
    socket.resume();
  } else session.stdin?.end();

  const outcome = await Promise.race([
    Promise.all([session.exited, ended(session.stdout), ended(session.stderr)]).then(() => 'exited' as const),
    detach.then(() => 'detached' as const),
  ]);
  if (outcome === 'detached') {
    // The process runs on; what it prints from now on has no reader.
    leftRunning = true;
    closed = true;
    for (const s of sources) s.resume();
    onDetach();
  }
  if (!out.writableEnded) out.end();
}

/** `POST /exec/{id}/start`: run the exec, detached (200 at once) or hijacked. */
export const routes: Route[] = [{
  method: 'POST',
  path: '/exec/:id/start',
  handler: async (r) => {
    const body = await readJSON(r);
    if (body.Detach !== undefined && typeof body.Detach !== 'boolean') throw badRequest('Detach: must be a boolean');
    if (body.Tty !== undefined && typeof body.Tty !== 'boolean') throw badRequest('Tty: must be a boolean');
    await r.policy?.check({ kind: 'exec.start', exec: r.params.id! });
    const exec = r.engine.containers.exec.get(r.params.id!);
    const size = parseConsoleSize(body.ConsoleSize, 'ConsoleSize');
    const detach = body.Detach === true;
    // Like dockerd, the start request's Tty decides the framing; the exec's own Tty the terminal.
    const tty = typeof body.Tty === 'boolean' ? body.Tty : !!exec.Config.Tty;
    const session = await r.engine.containers.exec.start(exec.ID, { detach, height: size?.[0], width: size?.[1] });
    if (detach) return sendEmpty(r.res, 200);
    const c = exec.Config;
    const onDetach = (): void => {
      const row = r.engine.containers.find(exec.ContainerID);
      if (row) publishContainerEvent(r.engine, row, 'exec_detach', { execID: exec.ID });
    };
    await stream(r, session, tty, !!c.Tty, { stdin: !!c.AttachStdin, stdout: !!c.AttachStdout, stderr: !!c.AttachStderr }, parseDetachKeys(c.DetachKeys), onDetach);
  },
}];
