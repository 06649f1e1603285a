import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendError } from './http/reply.ts';
import { setApiSecurityHeaders, setPageSecurityHeaders } from './security-headers.ts';

/** Next's request handler (`app.getRequestHandler()`), kept structural so tests can pass a fake. */
export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The dashboard API (`openDashboard(...).handle`): answers every `/api/*` request itself. */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * The one HTTP listener of the dashboard: `/api/*` is the dashboard API, socket.io attaches
 * itself to `/socket.io`, every other path is Next's. The Docker Engine API gets its own
 * server on a unix socket (see `listen`), never this one.
 */
export function createDashboardServer(deps: { api: ApiHandler; pages: PageHandler; dev?: boolean }): http.Server {
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const isApi = pathname === '/api' || pathname.startsWith('/api/');
    if (isApi) setApiSecurityHeaders(res);
    else setPageSecurityHeaders(req, res, deps.dev ?? false);
    const handled = isApi ? deps.api(req, res) : deps.pages(req, res);
    handled.catch((err: unknown) => failRequest(res, err));
  });
  // Uploads through the Docker API proxy (image loads, build contexts) may take longer than
  // Node's default 5 minutes; the header timeout still guards against idle connections.
  server.requestTimeout = 0;
  answerHalfClosed(server);
  return server;
}

/**
 * A client may half-close its socket once it has sent its request (`curl -T`, scripts that
 * shut down writing); it still waits for the answer. Node's HTTP server otherwise gives up
 * on such a request and closes the socket unanswered.
 */
export function answerHalfClosed(server: http.Server): void {
  (server as http.Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
}

function failRequest(res: ServerResponse, err: unknown): void {
  sendError(res, err, 'request failed', { 'Cache-Control': 'no-store' });
}

/**
 * Where a server listens: the dashboard on TCP, the Docker Engine API (a second server,
 * added by its own module) on a unix socket path.
 */
export type ListenTarget = { host: string; port: number } | { path: string };

/** Starts listening; resolves to the bound address (with the real port when 0 was asked). */
export function listen(server: http.Server, target: ListenTarget): Promise<AddressInfo | string> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address() ?? ('path' in target ? target.path : ''));
    };
    if ('path' in target) server.listen(target.path, onListening);
    else server.listen(target.port, target.host, onListening);
  });
}

/**
 * Stops accepting connections and lets in-flight requests finish; connections still open
 * after the grace period (long polls, streams) are cut so that shutdown always completes.
 */
export function closeServer(server: http.Server, graceMs = 5000): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close((err) => {
      clearTimeout(force);
      if (err) reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
