import { readFile } from 'node:fs/promises';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import * as pty from 'node-pty';
import { startHelper } from '../util/spawn/index.ts';
import { execStartExitCode, execStartMessage, execStartOutcome, type ExecStartFiles } from './exec-start.ts';

/** A started exec: its stdio (one merged stream with a TTY), a TTY resize handle and its exit. */
export interface ExecSession {
  stdin: Writable | null;
  stdout: Readable;
  stderr: Readable | null;
  resize(height: number, width: number): void;
  /** The exit code; 127 or 126 (as dockerd) when the process could not be started. */
  exited: Promise<number>;
  /** Why runc could not start the process; undefined once it runs. */
  startError: Promise<string | undefined>;
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
  /** How long a hung-up TTY process may take to exit before it is killed. */
  hangupGraceMs?: number;
}

const HANGUP_GRACE_MS = 5_000;

/** What a raw runc process gives before it is known whether it started the command. */
interface Raw { pid: number; stdin: Writable | null; output: Readable[]; exited: Promise<number>; resize(h: number, w: number): void; hangup(): void }

/**
 * `runc exec --process <file>`. With a TTY, runc runs in the foreground on a pseudo-terminal
 * we own (node-pty), so resizing our side resizes theirs. Output is held until runc has
 * started the command: when it could not, what it printed is dropped and dockerd's message
 * and exit code (127 not found, 126 not executable) take its place.
 */
export async function spawnExec(binary: string, args: string[], o: ExecProcessOptions, files: ExecStartFiles, cmd: string): Promise<{ pid: number; session: ExecSession }> {
  const raw = o.tty && !o.detach ? startTTY(binary, args, o, files.pidFile) : await startPipes(binary, args, o.detach);
  const startError = execStartOutcome(files, raw.exited);
  const outs = raw.output.map(() => new PassThrough());
  void startError.then((error) => {
    if (error === undefined) {
      raw.output.forEach((s, i) => s.pipe(outs[i]!));
      return;
    }
    for (const s of raw.output) s.resume();
    if (!o.detach) outs[0]!.write(execStartMessage(error));
    for (const s of outs) s.end();
  });
  const exited = Promise.all([raw.exited, startError]).then(([code, error]) => (error === undefined ? code : execStartExitCode(error, cmd)));
  if (o.detach) for (const s of outs) s.resume();
  return {
    pid: raw.pid,
    session: { stdin: raw.stdin, stdout: outs[0] ?? emptyStream(), stderr: outs[1] ?? null, resize: raw.resize, exited, startError, hangup: raw.hangup },
  };
}

async function startPipes(binary: string, args: string[], detach: boolean): Promise<Raw> {
  const p = await startHelper({ file: binary, args, env: { ...process.env } }, { stdin: !detach, output: !detach });
  const hangup = () => undefined;
  if ('error' in p) return { pid: 0, stdin: null, output: [emptyStream()], exited: Promise.resolve(126), resize: () => undefined, hangup };
  // The exit counts once the output has all been read, as a child's 'close' does.
  const closed = [p.stdout, p.stderr].map((s) => (s ? finished(s).catch(() => undefined) : undefined));
  const exited = Promise.all([p.exited, ...closed]).then(([e]) => e.code ?? (e.signal ? 128 + e.signal : 1));
  if (detach) return { pid: p.pid, stdin: null, output: [emptyStream()], exited, resize: () => undefined, hangup };
  // Taken into our own streams at once: output is held until runc has said whether the command
  // started, which a short command can outlive. The pipes keep backpressure: a process printing
  // more waits for the reader.
  const output = [p.stdout!, p.stderr!].map((s) => s.pipe(new PassThrough()));
  return { pid: p.pid, stdin: p.stdin, output, exited, resize: () => undefined, hangup };
}

function startTTY(binary: string, args: string[], o: ExecProcessOptions, pidFile: string): Raw {
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
    const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
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
  return { pid: term.pid, stdin, output: [stdout], exited, resize: (h, w) => { if (h > 0 && w > 0) term.resize(w, h); }, hangup };
}

function emptyStream(): Readable {
  const p = new PassThrough();
  p.end();
  return p;
}
