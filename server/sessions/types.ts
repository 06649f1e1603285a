import type { ServerToClientEvents } from '../protocol/index.ts';

/** Where a session sends its events: one socket.io client, with its flow control. */
export interface Sink {
  emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  /** True while the client's connection has a backlog; readers pause until `onDrain`. */
  congested(): boolean;
  onDrain(listener: () => void): void;
}

/** A live stream between an engine and one client. */
export interface Session {
  readonly id: string;
  readonly kind: 'logs' | 'exec' | 'stats' | 'events';
  /** Starts sending; called after the client got the session id in its ack. */
  begin(): void;
  /** Stops everything and releases the engine stream, without telling the client. */
  dispose(): void;
}
