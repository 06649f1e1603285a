import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Engine } from '../../runtime/index.ts';
import { openDashboardDb, type DashboardDb } from '../auth/db.ts';
import { originAllowed } from '../auth/origin.ts';
import { AuthService } from '../auth/service.ts';
import { EnvironmentRegistry } from '../environments/registry.ts';
import { authRoutes } from './auth-routes.ts';
import { dockerRoutes } from './docker-route.ts';
import { healthRoute, LoopDelayMonitor } from './health-route.ts';
import { environmentRoutes } from './environment-routes.ts';
import { HttpError, sendError, sendJson } from './errors.ts';
import { Router, type Route } from './router.ts';
import { userRoutes } from './user-routes.ts';
import { volumeBrowseRoutes } from './volume-browse-routes.ts';

export interface DashboardOptions {
  engine: Engine;
  /** The data root; the dashboard keeps `dashboard.db` there. */
  root: string;
  /** The embedded engine's Docker API socket: environment `local`. */
  socketPath: string;
  adminPassword?: string;
  /** Where the setup token and notices go; the server's stdout by default. */
  log?: (line: string) => void;
}

export interface Dashboard {
  auth: AuthService;
  environments: EnvironmentRegistry;
  /** Answers one `/api/*` request. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): void;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The dashboard API: auth, users, environments and the Docker API proxy. */
export async function openDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const db: DashboardDb = openDashboardDb(path.join(opts.root, 'dashboard.db'));
  const auth = new AuthService(db);
  await auth.bootstrap(opts.adminPassword, opts.log ?? ((line) => console.log(line)));
  const environments = new EnvironmentRegistry(db, opts.socketPath);
  const loopDelay = new LoopDelayMonitor();
  const engineInfo: Route = {
    method: 'GET', path: '/api/engine/info', access: 'user',
    handler: async () => ({ status: 200, body: await opts.engine.system.info() }),
  };
  const router = new Router().add(
    healthRoute(loopDelay, () => opts.engine.usage.pendingWalks),
    ...authRoutes(auth),
    ...userRoutes(auth),
    ...environmentRoutes(environments),
    ...dockerRoutes(environments),
    ...volumeBrowseRoutes(opts.engine, environments),
    engineInfo,
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'http://dashboard');
      if (MUTATING.has(method) && !originAllowed(req)) throw new HttpError(403, 'cross-origin request refused: the Origin header is not this dashboard');
      const hit = router.match(method, url.pathname);
      const isPublic = 'route' in hit && hit.route.access === 'public';
      // Signed-out clients learn nothing about which routes exist.
      const session = isPublic ? undefined : auth.authenticate(req);
      if (!isPublic && !session) throw new HttpError(401, 'sign in first');
      if (!('route' in hit)) {
        if (hit.allowed.length === 0) throw new HttpError(404, `no API route ${method} ${url.pathname}`);
        throw new HttpError(405, `${method} is not allowed on ${url.pathname}`, undefined, { Allow: [...new Set(hit.allowed)].join(', ') });
      }
      if (hit.route.access === 'admin' && session?.user.role !== 'admin') throw new HttpError(403, 'only admins can do this');
      const reply = await hit.route.handler({ req, res, url, params: hit.params, session });
      if (reply) sendJson(res, reply.status, reply.body, reply.headers);
    } catch (err) {
      sendError(res, err);
    }
  }

  return {
    auth,
    environments,
    handle,
    close() {
      environments.close();
      loopDelay.close();
      db.close();
    },
  };
}
