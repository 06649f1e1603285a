import { spawn } from 'node:child_process';
import { basename, dirname } from 'node:path';
import type { Writable } from 'node:stream';

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
  const child = spawn(socat, ['-t', '1', '-', `UNIX-CONNECT:${basename(socketPath)},type=5`], {
    cwd: dirname(socketPath),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (d: Buffer) => { if (stderr.length < 4096) stderr += d.toString(); });
  // The peer may vanish first (the container exited); input written after that is moot.
  child.stdin.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => {
    child.once('error', () => resolve());
    child.once('close', () => resolve());
  });
  return {
    input: child.stdin,
    closed,
    close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
