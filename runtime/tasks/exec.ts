import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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
  /**
   * The client's terminal is gone: a TTY process gets SIGHUP, as a hung-up terminal gives it
   * (and as Docker's closing the console does), then SIGKILL if it is still there after the
   * grace period. Without a TTY, nothing is sent: Docker leaves such processes running too.
   */
  hangup(): void;
}

export interface ExecProcessOptions {
  /** Run on a pseudo-terminal we own. */
  tty: boolean;
  /** Nobody reads the output: stdio goes nowhere. */
  detach: boolean;
  height?: number;
  width?: number;
  /** Where runc writes the exec'd process's host pid (`runc exec --pid-file`). */
  pidFile: string;
  /** How long a hung-up TTY process may take to exit before it is killed. */
  hangupGraceMs?: number;
}

const HANGUP_GRACE_MS = 5_000;

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
  const hangup = () => undefined;
  if (detach) return { pid, session: { stdin: null, stdout: emptyStream(), stderr: null, resize: () => undefined, exited, hangup } };
  child.stdin!.on('error', () => undefined);
  return { pid, session: { stdin: child.stdin!, stdout: child.stdout!, stderr: child.stderr!, resize: () => undefined, exited, hangup } };
}

function startTTY(binary: string, args: string[], o: ExecProcessOptions): { pid: number; session: ExecSession } {
  const term = pty.spawn(binary, args, { name: 'xterm', cols: o.width || 80, rows: o.height || 24, encoding: null as unknown as string });
  const stdout = new PassThrough();
  term.onData((d: string | Buffer) => stdout.write(typeof d === 'string' ? Buffer.from(d) : d));
  const stdin = new PassThrough();
  stdin.on('data', (d: Buffer) => term.write(d as unknown as string));
  let done = false;
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode, signal }) => {
    done = true;
    stdout.end();
    resolve(signal ? 128 + signal : exitCode);
  }));
  /** Signals the process in the container; runc (our pty's process) waits on it, so its pid is not reused meanwhile. */
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    if (done) return;
    const pid = Number((await readFile(o.pidFile, 'utf8').catch(() => '')).trim());
    if (done) return;
    if (Number.isInteger(pid) && pid > 0) {
      // A TTY process leads its own session and process group: the group is what a hung-up terminal signals.
      try { process.kill(-pid, sig); } catch { try { process.kill(pid, sig); } catch { /* already gone */ } }
    } else if (sig === 'SIGHUP') {
      term.kill('SIGHUP'); // not started yet: runc forwards the signal once it is
    }
  };
  let hungUp = false;
  const hangup = (): void => {
    if (done || hungUp) return;
    hungUp = true;
    void signal('SIGHUP');
    const timer = setTimeout(() => void signal('SIGKILL'), o.hangupGraceMs ?? HANGUP_GRACE_MS);
    void exited.then(() => clearTimeout(timer));
  };
  return { pid: term.pid, session: { stdin, stdout, stderr: null, resize: (h, w) => { if (h > 0 && w > 0) term.resize(w, h); }, exited, hangup } };
}

function emptyStream(): Readable {
  const p = new PassThrough();
  p.end();
  return p;
}
