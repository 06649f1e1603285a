import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXEC_IDLE_TIMEOUT_MS, type ExecStart } from '../protocol/index.ts';
import type { DockerClient } from '../environments/client.ts';
import type { Session, Sink } from './types.ts';

/**
 * A TTY process in a container, as `docker exec -it` runs one: exec create, then exec start
 * on a hijacked connection that carries the raw TTY both ways. When the stream ends the
 * exit code is read from the exec's inspect.
 */
export async function openExecSession(id: string, client: DockerClient, req: ExecStart, sink: Sink, idleMs = EXEC_IDLE_TIMEOUT_MS): Promise<ExecSession> {
  const consoleSize = [req.rows, req.cols];
  const created = await client.json<{ Id: string }>('POST', `/containers/${encodeURIComponent(req.container)}/exec`, {
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    Cmd: req.cmd,
    ...(req.user ? { User: req.user } : {}),
    Env: ['TERM=xterm-256color'],
    ConsoleSize: consoleSize,
  });
  const stream = await client.hijack(`/exec/${created.Id}/start`, { Detach: false, Tty: true, ConsoleSize: consoleSize });
  stream.pause();
  return new ExecSession(id, client, created.Id, stream, sink, idleMs, { cols: req.cols, rows: req.rows });
}

export class ExecSession implements Session {
  readonly kind = 'exec';
  private readonly decoder = new StringDecoder('utf8');
  private idle: NodeJS.Timeout | undefined;
  /** Set once the session is over, with the reason when we ended it (not the process). */
  private ended: { reason?: string } | undefined;

  constructor(
    readonly id: string,
    private readonly client: DockerClient,
    private readonly execId: string,
    private readonly stream: Duplex,
    private readonly sink: Sink,
    private readonly idleMs: number,
    private readonly size: { cols: number; rows: number },
  ) {}

  begin(): void {
    (this.stream as Socket).setKeepAlive?.(true, 30_000);
    this.stream.on('data', (data: Buffer) => {
      this.touch();
      const text = this.decoder.write(data);
      if (text !== '') this.sink.emit('exec:data', { id: this.id, data: text });
    });
    this.stream.once('close', () => void this.streamClosed());
    this.stream.once('error', () => undefined);
    this.stream.resume();
    this.touch();
    // Engines size the TTY from ConsoleSize only on recent API versions; resizing once more costs nothing.
    this.resize(this.size.cols, this.size.rows);
  }

  input(data: string): void {
    if (this.ended) return;
    this.touch();
    this.stream.write(Buffer.from(data, 'utf8'));
  }

  resize(cols: number, rows: number): void {
    if (this.ended) return;
    this.client.json('POST', `/exec/${this.execId}/resize?h=${rows}&w=${cols}`).catch(() => undefined);
  }

  /** Ends the session at the client's request; the client still gets `exec:exit`. */
  close(reason = 'closed by the client'): void {
    if (this.ended) return;
    this.ended = { reason };
    this.stream.destroy();
  }

  dispose(): void {
    this.ended ??= {};
    clearTimeout(this.idle);
    this.stream.destroy();
  }

  private touch(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.close(`closed after ${Math.round(this.idleMs / 60_000)} minutes without input or output`), this.idleMs);
  }

  private async streamClosed(): Promise<void> {
    clearTimeout(this.idle);
    const rest = this.decoder.end();
    if (rest !== '' && !this.ended) this.sink.emit('exec:data', { id: this.id, data: rest });
    if (this.ended && this.ended.reason === undefined) return; // disposed: the client is gone
    if (this.ended) {
      this.sink.emit('exec:exit', { id: this.id, exitCode: null, reason: this.ended.reason! });
      return;
    }
    this.ended = {};
    const exitCode = await this.exitCode();
    this.sink.emit('exec:exit', {
      id: this.id,
      exitCode,
      reason: exitCode === null ? 'the connection to the engine closed; the exit code is unknown' : `the process exited with code ${exitCode}`,
    });
  }

  /** The engine records the exit a moment after the stream closes; ask a few times. */
  private async exitCode(): Promise<number | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const info = await this.client.json<{ Running?: boolean; ExitCode?: number | null }>('GET', `/exec/${this.execId}/json`);
        if (info.Running === false && typeof info.ExitCode === 'number') return info.ExitCode;
      } catch {
        return null;
      }
      await sleep(50);
    }
    return null;
  }
}
