import type { IncomingMessage } from 'node:http';
import type { StatsSubscribe } from '../protocol/index.ts';
import type { DockerClient } from '../environments/client.ts';
import { readJsonLines } from './json-lines.ts';
import { toSample, type DockerStats } from './stats-compute.ts';
import type { Session, Sink } from './types.ts';

/** The engine's `stats?stream=1` (one sample a second), as `stats:sample` in `docker stats` numbers. */
export async function openStatsSession(id: string, client: DockerClient, req: StatsSubscribe, sink: Sink): Promise<Session> {
  const abort = new AbortController();
  const res = await client.stream({ method: 'GET', path: `/containers/${encodeURIComponent(req.container)}/stats?stream=1`, signal: abort.signal });
  res.pause();
  return new StreamSession(id, 'stats', res, abort, sink, (value) => sink.emit('stats:sample', toSample(id, value as DockerStats)), () => sink.emit('stats:end', { id }));
}

/** A session that turns one engine stream of JSON documents into events for one client. */
export class StreamSession implements Session {
  private done = false;

  constructor(
    readonly id: string,
    readonly kind: 'stats' | 'events',
    private readonly res: IncomingMessage,
    private readonly abort: AbortController,
    private readonly sink: Sink,
    private readonly onValue: (value: unknown) => void,
    private readonly onEnd: () => void,
  ) {}

  begin(): void {
    readJsonLines(this.res, (value) => {
      if (this.done) return;
      this.onValue(value);
      if (this.sink.congested()) {
        this.res.pause();
        this.sink.onDrain(() => { if (!this.done) this.res.resume(); });
      }
    });
    const end = () => {
      if (this.done) return;
      this.done = true;
      this.onEnd();
    };
    this.res.once('end', end);
    this.res.once('close', end);
    this.res.once('error', end);
    this.res.resume();
  }

  dispose(): void {
    this.done = true;
    this.abort.abort();
    this.res.destroy();
  }
}
