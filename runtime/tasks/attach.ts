import { basename, dirname } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { startHelper, type LiveProcess } from '../util/spawn/index.ts';

/** A connection to conmon's attach socket that carries bytes to the container's stdin. */
export interface StdinConnection {
  /** Bytes written here reach the container's stdin; `end()` hangs up the connection. */
  readonly input: Writable;
  /** Resolves once the connection is gone (hung up, closed, or conmon went away). */
  readonly closed: Promise<void>;
  /** Drop the connection at once, without waiting for buffered input. */
  close(): void;
}

/**
 * conmon (`-i`) listens on a SOCK_SEQPACKET unix socket, which node's net module cannot open,
 * so socat bridges a pipe to it. Everything conmon reads there goes to the container's stdin;
 * when the connection ends conmon closes that stdin unless it was started with
 * --leave-stdin-open (Docker's StdinOnce). conmon also echoes the container's output to every
 * attached connection and blocks when a peer stops reading, so the bridge is bidirectional and
 * what comes back is drained and dropped: output is read from the log file instead.
 *
 * socat runs in the socket's directory with a relative address, which keeps paths with `,` or
 * `:` (socat's separators) and long paths (sun_path is 108 bytes) out of the address.
 */
export function connectStdin(socketPath: string, socat = 'socat'): StdinConnection {
  // The connection is usable at once; what is written before socat runs waits here.
  const input = new PassThrough();
  input.on('error', () => undefined);
  let child: LiveProcess | undefined;
  let running = true;
  let dropped = false;
  const kill = (): void => {
    // Only while it runs: once reaped, its pid may be another process's.
    if (child && running) try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  };
  const closed = (async (): Promise<void> => {
    const p = await startHelper({ file: socat, args: ['-t', '1', '-', `UNIX-CONNECT:${basename(socketPath)},type=5`], cwd: dirname(socketPath), env: { ...process.env } }, { stdin: true, output: true });
    if ('error' in p) { input.resume(); return; }
    child = p;
    // Reaped means its pid is free for another process: never signal it after that.
    void p.exited.then(() => { running = false; });
    if (dropped) kill();
    // The peer may vanish first (the container exited); input written after that is moot.
    input.pipe(p.stdin!);
    p.stdout!.resume();
    p.stderr!.resume();
    await Promise.all([p.exited, finished(p.stdout!).catch(() => undefined), finished(p.stderr!).catch(() => undefined)]);
    input.unpipe();
    input.resume();
  })();
  return {
    input,
    closed,
    close() {
      dropped = true;
      kill();
    },
  };
}
