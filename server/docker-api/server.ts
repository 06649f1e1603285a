import http, { type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Engine } from '../../runtime/index.ts';
import type { Router } from '../http/router.ts';
import { answerHalfClosed } from '../http.ts';
import { createDispatch } from './dispatch.ts';
import type { Route } from './router.ts';
import { buildRouter } from './routes.ts';

/**
 * The Docker Engine API server. It is served on a unix socket by the same process as the
 * dashboard. Hijacked endpoints (attach, exec start) arrive as HTTP upgrades.
 */
export function createDockerApiServer(engine: Engine, router: Router<Route> = buildRouter()): http.Server {
  const dispatch = createDispatch(engine, router);
  const server = http.createServer((req, res) => void dispatch(req, res));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Hijacked handlers write to the socket; this response object only exists to fill the type.
    const res = new http.ServerResponse(req);
    void dispatch(req, res, { upgrade: { socket, head } });
  });
  // Streams (logs -f, events, attach) are long-lived: no idle or request timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 5000;
  answerHalfClosed(server);
  return server;
}
