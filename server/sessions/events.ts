import type { DockerEvent, EventsSubscribe } from '../protocol/index.ts';
import type { DockerClient } from '../environments/client.ts';
import { StreamSession } from './stats.ts';
import type { Session, Sink } from './types.ts';

/** The engine's `/events` stream (new events only), filtered by the engine. */
export async function openEventsSession(id: string, client: DockerClient, req: EventsSubscribe, sink: Sink): Promise<Session> {
  const query = req.filters && Object.keys(req.filters).length > 0 ? `?filters=${encodeURIComponent(JSON.stringify(req.filters))}` : '';
  const abort = new AbortController();
  const res = await client.stream({ method: 'GET', path: `/events${query}`, signal: abort.signal });
  res.pause();
  return new StreamSession(id, 'events', res, abort, sink, (value) => sink.emit('events:event', { id, event: value as DockerEvent }), () => sink.emit('events:end', { id }));
}
