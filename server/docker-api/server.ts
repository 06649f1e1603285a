import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { API_VERSION, MIN_API_VERSION, type Engine } from '../../runtime/index.ts';
import { errorStatus } from './errors.ts';
import { sendJSON } from './respond.ts';
import { upgraded } from './stream.ts';
import { answerHalfClosed } from '../http.ts';
import type { Router } from './router.ts';
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
export function createDockerApiServer(engine: Engine, router: Router = buildRouter()): http.Server {
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

async function dispatch(engine: Engine, router: Router, req: IncomingMessage, res: ServerResponse, upgrade?: { socket: Duplex; head: Buffer }): Promise<void> {
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
    if (cmpVersion(version, API_VERSION) > 0) return sendJSON(res, 400, { message: `client version ${version} is too new. Maximum supported API version is ${API_VERSION}` });
    if (cmpVersion(version, MIN_API_VERSION) < 0) return sendJSON(res, 400, { message: `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version` });
    const hit = router.match(req.method ?? 'GET', path);
    if (!hit) return sendJSON(res, 404, { message: 'page not found' });
    if (upgrade && upgrade.head.length > 0) upgrade.socket.unshift(upgrade.head);
    await hit.route.handler({ engine, req, res, params: hit.params, query: url.searchParams, version, upgrade });
  } catch (err) {
    const { status, message } = errorStatus(err);
    if (status >= 500) console.error(`wharf: docker api ${req.method} ${req.url}: ${err instanceof Error ? err.stack : message}`);
    if (upgrade && !upgraded.has(upgrade.socket)) {
      const body = JSON.stringify({ message });
      upgrade.socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    } else if (upgrade) {
      upgrade.socket.destroy();
    } else if (!res.headersSent) {
      if (status === 304) { res.writeHead(304); res.end(); } else sendJSON(res, status, { message });
    } else res.destroy();
  }
}
