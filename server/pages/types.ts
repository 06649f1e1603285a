import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export interface PagesOptions { dev: boolean; dir: string; hostname: string; port: number }

/** Whether Next's server code is loaded: not yet, under way, or serving. */
export type PagesState = 'unloaded' | 'loading' | 'ready';

/** The dashboard's pages: Next's server, loaded at the first request that needs it. */
export interface Pages {
  state(): PagesState;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Upgrades that are not socket.io's (hot reload in development). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  close(): Promise<void>;
}
