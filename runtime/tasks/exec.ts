import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import * as pty from 'node-pty';

/** A started exec: its stdio (one merged stream with a TTY), a TTY resize handle and its exit. */
export interface ExecSession {
  stdin: Writable | null;
  stdout: Readable;
  stderr: Readable | null;
  resize(height: number, width: number): void;
  exited: Promise<number>;
}

export interface ExecProcessOptions {
  /** Run on a pseudo-terminal we own. */
  tty: boolean;
  /** Nobody reads the output: stdio goes nowhere. */
  detach: boolean;
  height?: number;
  width?: number;
}

/**
 * `runc exec --process <file>`. With a TTY, runc runs in the foreground on a pseudo-terminal
 * we own (node-pty), so resizing our side resizes theirs.
 */
export function spawnExec(binary: string, args: string[], o: ExecProcessOptions): { pid: number; session: ExecSession } {
  return o.tty && !o.detach ? startTTY(binary, args, o) : startPipes(binary, args, o.detach);
}

function startPipes(binary: string, args: string[], detach: boolean): { pid: number; session: ExecSession } {
  const child = spawn(binary, args, { stdio: detach ? 'ignore' : ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number>((resolve) => {
    child.on('error', () => resolve(126));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 9) : 1)));
  });
  const pid = child.pid ?? 0;
  if (detach) return { pid, session: { stdin: null, stdout: emptyStream(), stderr: null, resize: () => undefined, exited } };
  child.stdin!.on('error', () => undefined);
  return { pid, session: { stdin: child.stdin!, stdout: child.stdout!, stderr: child.stderr!, resize: () => undefined, exited } };
}

function startTTY(binary: string, args: string[], o: ExecProcessOptions): { pid: number; session: ExecSession } {
  const term = pty.spawn(binary, args, { name: 'xterm', cols: o.width || 80, rows: o.height || 24, encoding: null as unknown as string });
  const stdout = new PassThrough();
  term.onData((d: string | Buffer) => stdout.write(typeof d === 'string' ? Buffer.from(d) : d));
  const stdin = new PassThrough();
  stdin.on('data', (d: Buffer) => term.write(d as unknown as string));
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode, signal }) => {
    stdout.end();
    resolve(signal ? 128 + signal : exitCode);
  }));
  return { pid: term.pid, session: { stdin, stdout, stderr: null, resize: (h, w) => { if (h > 0 && w > 0) term.resize(w, h); }, exited } };
}

function emptyStream(): Readable {
  const p = new PassThrough();
  p.end();
  return p;
}
