import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { API_VERSION, InvalidArgumentError, MIN_API_VERSION, NotFoundError, type Engine } from '../../runtime/index.ts';
import { errorAnswer } from '../http/errors.ts';
import { sendError } from '../http/reply.ts';
import type { Router } from '../http/router.ts';
import { upgraded } from './stream.ts';
import { answerHalfClosed } from '../http.ts';
import type { Route } from './router.ts';
import { buildRouter } from './routes.ts';

const VERSION_RE = /^\/v(\d+\.\d+)(\/.*)$/;

function cmpVersion(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number) as [number, number];
  const [bm, bn] = b.split('.').map(Number) as [number, number];
  return am - bm || an - bn;
}

/**
 * The Docker Engine API server. It is served on a unix socket by the same process as the
 * dashboard. Hijacked endpoints (attach, exec start) arrive as HTTP upgrades.
 */
export function createDockerApiServer(engine: Engine, router: Router<Route> = buildRouter()): http.Server {
  const server = http.createServer((req, res) => void dispatch(engine, router, req, res));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Hijacked handlers write to the socket; this response object only exists to fill the type.
    const res = new http.ServerResponse(req);
    void dispatch(engine, router, req, res, { socket, head });
  });
  // Streams (logs -f, events, attach) are long-lived: no idle or request timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 5000;
  answerHalfClosed(server);
  return server;
}

async function dispatch(engine: Engine, router: Router<Route>, req: IncomingMessage, res: ServerResponse, upgrade?: { socket: Duplex; head: Buffer }): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://docker');
  let path = url.pathname;
  let version = API_VERSION;
  const m = VERSION_RE.exec(path);
  if (m) {
    version = m[1]!;
    path = m[2]!;
  }
  res.setHeader('Api-Version', API_VERSION);
  res.setHeader('Docker-Experimental', 'false');
  res.setHeader('Ostype', 'linux');
  res.setHeader('Server', `Docker/${API_VERSION} (linux)`);
  try {
    if (cmpVersion(version, API_VERSION) > 0) throw new InvalidArgumentError(`client version ${version} is too new. Maximum supported API version is ${API_VERSION}`);
    if (cmpVersion(version, MIN_API_VERSION) < 0) throw new InvalidArgumentError(`client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
    const hit = router.match(req.method ?? 'GET', path);
    // dockerd answers an unknown path and a known path with another method alike.
    if (!('route' in hit)) throw new NotFoundError('page not found');
    if (upgrade && upgrade.head.length > 0) upgrade.socket.unshift(upgrade.head);
    await hit.route.handler({ engine, req, res, params: hit.params, query: url.searchParams, version, upgrade });
  } catch (err) {
    const context = `docker api ${req.method} ${req.url}`;
    if (upgrade && !upgraded.has(upgrade.socket)) answerOnSocket(upgrade.socket, err, context);
    else if (upgrade) upgrade.socket.destroy();
    else sendError(res, err, context);
  }
}

/** A hijack request that failed before `101 UPGRADED`: the answer is written on the raw socket. */
function answerOnSocket(socket: Duplex, err: unknown, context: string): void {
  const { status, body } = errorAnswer(err);
  if (status >= 500) console.error(`wharf: ${context}: ${err instanceof Error ? err.stack : body.message}`);
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}
