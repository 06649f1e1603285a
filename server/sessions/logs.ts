import type { IncomingMessage } from 'node:http';
import { DEFAULT_LOG_TAIL, type LogLine, type LogsSubscribe } from '../protocol/index.ts';
import type { DockerClient } from '../environments/client.ts';
import { LineSplitter, splitTimestamp } from './lines.ts';
import { StdcopyDemuxer } from './stdcopy.ts';
import type { Session, Sink } from './types.ts';

const BATCH_MS = 50;

/**
 * Follows one container's logs for one client: the engine's `logs?follow=1` stream,
 * demultiplexed (raw when the container has a TTY), split into lines and sent in batches
 * at most every 50 ms. The engine ends the stream when the container exits; so does this.
 */
export async function openLogSession(id: string, client: DockerClient, req: LogsSubscribe, sink: Sink): Promise<Session> {
  const container = encodeURIComponent(req.container);
  const inspect = await client.json<{ Config?: { Tty?: boolean } }>('GET', `/containers/${container}/json`);
  const tty = inspect.Config?.Tty === true;
  const query = new URLSearchParams({
    follow: '1',
    stdout: req.stdout === false ? '0' : '1',
    stderr: req.stderr === false ? '0' : '1',
    timestamps: '1',
    tail: (req.tail ?? DEFAULT_LOG_TAIL) < 0 ? 'all' : String(req.tail ?? DEFAULT_LOG_TAIL),
  });
  if (req.since !== undefined) query.set('since', String(req.since));
  const abort = new AbortController();
  const res = await client.stream({ method: 'GET', path: `/containers/${container}/logs?${query}`, signal: abort.signal });
  res.pause();
  return new LogSession(id, res, abort, tty, req.timestamps !== false, sink);
}

class LogSession implements Session {
  readonly kind = 'logs';
  private readonly splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  private batch: LogLine[] = [];
  private readonly waited = { stdout: false, stderr: false };
  private timer: NodeJS.Timeout | undefined;
  private done = false;

  constructor(
    readonly id: string,
    private readonly res: IncomingMessage,
    private readonly abort: AbortController,
    private readonly tty: boolean,
    private readonly timestamps: boolean,
    private readonly sink: Sink,
  ) {}

  begin(): void {
    const demux = new StdcopyDemuxer((stream, payload) => this.take(stream, payload));
    this.res.on('data', (data: Buffer) => (this.tty ? this.take('stdout', data) : demux.push(data)));
    this.res.once('end', () => this.finish());
    this.res.once('error', () => this.finish('the log stream broke off'));
    this.res.once('close', () => this.finish());
    this.res.resume();
  }

  dispose(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.abort.abort();
    this.res.destroy();
  }

  private take(stream: 'stdout' | 'stderr', data: Buffer): void {
    for (const line of this.splitters[stream].push(data)) this.add(stream, line);
    this.timer ??= setTimeout(() => this.flush(false), BATCH_MS);
  }

  private add(stream: 'stdout' | 'stderr', line: string): void {
    const { time, text } = splitTimestamp(line);
    this.batch.push({ stream, time: this.timestamps ? time : '', text });
  }

  /** Sends the batch; a line without its newline waits one more batch for the rest, then goes as is. */
  private flush(final: boolean): void {
    this.timer = undefined;
    if (this.done && !final) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      const splitter = this.splitters[stream];
      if (!splitter.hasPartial()) {
        this.waited[stream] = false;
      } else if (final || this.waited[stream]) {
        this.waited[stream] = false;
        const rest = splitter.takePartial();
        if (rest !== undefined) this.add(stream, rest);
      } else {
        this.waited[stream] = true;
        this.timer ??= setTimeout(() => this.flush(false), BATCH_MS);
      }
    }
    if (this.batch.length > 0) {
      this.sink.emit('logs:chunk', { id: this.id, lines: this.batch });
      this.batch = [];
    }
    // A client that cannot keep up slows the engine's stream instead of growing our memory.
    if (!final && this.sink.congested()) {
      this.res.pause();
      this.sink.onDrain(() => { if (!this.done) this.res.resume(); });
    }
  }

  private finish(reason?: string): void {
    if (this.done) return;
    clearTimeout(this.timer);
    this.flush(true);
    this.done = true;
    this.sink.emit('logs:end', reason === undefined ? { id: this.id } : { id: this.id, reason });
  }
}
