import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Engine } from '../../runtime/index.ts';
import type { RouteSpec } from '../http/router.ts';
import type { RequestPolicy } from '../policy/index.ts';

/** One Docker API request, as a verb's handler sees it. */
export interface Request {
  engine: Engine;
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The API version the client asked for in the path, or the newest. */
  version: string;
  /** Set when the client asked to hijack the connection (`Upgrade: tcp`). */
  upgrade?: { socket: Duplex; head: Buffer };
  /**
   * Set when the request acts for a dashboard user: verbs hand it the options they parsed,
   * right before executing them. Absent on the engine's own socket (root's).
   */
  policy?: RequestPolicy;
}

export type Handler = (r: Request) => Promise<void>;

/** A Docker API verb: served by `server/http/router.ts` like every route of the server. */
export interface Route extends RouteSpec {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  handler: Handler;
}
