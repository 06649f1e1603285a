import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { API_VERSION, InvalidArgumentError, MIN_API_VERSION, NotFoundError, type Engine } from '../../runtime/index.ts';
import { errorAnswer } from '../http/errors.ts';
import { sendError } from '../http/reply.ts';
import type { Router } from '../http/router.ts';
import { engineLookup, type PolicyService, type Principal } from '../policy/index.ts';
import { upgraded } from './stream.ts';
import type { Request, Route } from './router.ts';

const VERSION_RE = /^\/v(\d+\.\d+)(\/.*)$/;

function cmpVersion(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number) as [number, number];
  const [bm, bn] = b.split('.').map(Number) as [number, number];
  return am - bm || an - bn;
}

/** Who a request acts for when it did not come in on the engine's own socket (which is root's). */
export interface Caller { principal: Principal; policy: PolicyService }

export interface DispatchOptions {
  /** The path and query as the client wrote them; `req.url` when absent. */
  target?: string;
  upgrade?: { socket: Duplex; head: Buffer };
  caller?: Caller;
}

/** The path as the router sees it and the API version it names: one reading for every caller. */
export function routedPath(target: string): { url: URL; path: string; version: string } {
  const url = new URL(target, 'http://docker');
  const m = VERSION_RE.exec(url.pathname);
  return m ? { url, path: m[2]!, version: m[1]! } : { url, path: url.pathname, version: API_VERSION };
}

export type Dispatch = (req: IncomingMessage, res: ServerResponse, opts?: DispatchOptions) => Promise<void>;

/**
 * Routes one Docker API request to its verb and answers it. A caller from the dashboard is held
 * to the policy on the route the router picked, and the verbs hand the options they parsed to
 * `r.policy` before executing them; requests on the socket carry no caller.
 */
export function createDispatch(engine: Engine, router: Router<Route>): Dispatch {
  const lookup = engineLookup(engine);
  return async (req, res, opts = {}) => {
    const { upgrade, caller } = opts;
    const { url, path, version } = routedPath(opts.target ?? req.url ?? '/');
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
      const r: Request = { engine, req, res, params: hit.params, query: url.searchParams, version, upgrade };
      if (caller) {
        await caller.policy.authorizeRoute(caller.principal, hit.route, hit.params, lookup);
        r.policy = caller.policy.bind(caller.principal, lookup);
      }
      if (upgrade && upgrade.head.length > 0) upgrade.socket.unshift(upgrade.head);
      await hit.route.handler(r);
    } catch (err) {
      const context = `docker api ${req.method} ${opts.target ?? req.url}`;
      if (upgrade && !upgraded.has(upgrade.socket)) answerOnSocket(upgrade.socket, err, context);
      else if (upgrade) upgrade.socket.destroy();
      else sendError(res, err, context);
    }
  };
}

/** A hijack request that failed before `101 UPGRADED`: the answer is written on the raw socket. */
function answerOnSocket(socket: Duplex, err: unknown, context: string): void {
  const { status, body } = errorAnswer(err);
  if (status >= 500) console.error(`wharf: ${context}: ${err instanceof Error ? err.stack : body.message}`);
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}
