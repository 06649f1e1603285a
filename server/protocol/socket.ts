import type { AckCallback, SessionRef } from './ack.ts';
import type { EventsEnd, EventsEvent, EventsSubscribe } from './events.ts';
import type { ExecData, ExecExit, ExecInput, ExecResize, ExecStart } from './exec.ts';
import type { LogsChunk, LogsEnd, LogsSubscribe } from './logs.ts';
import type { StatsEnd, StatsSample, StatsSubscribe } from './stats.ts';

/** socket.io on the dashboard's server: namespace `/`, path `/socket.io`, websocket transport. */
export const SOCKET_PATH = '/socket.io';
/** The `connect_error` message when the handshake has no valid session or a foreign Origin. */
export const SOCKET_UNAUTHORIZED = 'unauthorized';

/**
 * Client → server. Subscriptions answer `{ ok: true, id }` (the id tags every event of that
 * session) or `{ ok: false, message }`; the others answer `{ ok: true, id }` when the ack is given.
 */
export interface ClientToServerEvents {
  'logs:subscribe': (req: LogsSubscribe, ack: AckCallback) => void;
  'logs:unsubscribe': (req: SessionRef, ack?: AckCallback) => void;
  'exec:start': (req: ExecStart, ack: AckCallback) => void;
  'exec:input': (req: ExecInput, ack?: AckCallback) => void;
  'exec:resize': (req: ExecResize, ack?: AckCallback) => void;
  'exec:close': (req: SessionRef, ack?: AckCallback) => void;
  'stats:subscribe': (req: StatsSubscribe, ack: AckCallback) => void;
  'stats:unsubscribe': (req: SessionRef, ack?: AckCallback) => void;
  'events:subscribe': (req: EventsSubscribe, ack: AckCallback) => void;
  'events:unsubscribe': (req: SessionRef, ack?: AckCallback) => void;
}

/** Server → client. */
export interface ServerToClientEvents {
  'logs:chunk': (msg: LogsChunk) => void;
  'logs:end': (msg: LogsEnd) => void;
  'exec:data': (msg: ExecData) => void;
  'exec:exit': (msg: ExecExit) => void;
  'stats:sample': (msg: StatsSample) => void;
  'stats:end': (msg: StatsEnd) => void;
  'events:event': (msg: EventsEvent) => void;
  'events:end': (msg: EventsEnd) => void;
}
