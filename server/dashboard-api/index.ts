import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { HttpClient, NotFoundError, PermissionDeniedError, UnauthenticatedError, type Engine } from '../../runtime/index.ts';
import { openDashboardDb, type DashboardDb } from '../auth/db.ts';
import { originAllowed } from '../auth/origin.ts';
import { AuthService } from '../auth/service.ts';
import { EnvironmentRegistry } from '../environments/registry.ts';
import { authRoutes } from './auth-routes.ts';
import { dockerRoutes } from './docker-route.ts';
import { healthRoute, LoopDelayMonitor } from './health-route.ts';
import { environmentRoutes } from './environment-routes.ts';
import { MethodNotAllowedError } from '../http/errors.ts';
import { sendError, sendJson } from '../http/reply.ts';
import { Router } from '../http/router.ts';
import { kernelRoutes } from './kernel-routes.ts';
import type { Route } from './router.ts';
import { userRoutes } from './user-routes.ts';
import { volumeBrowseRoutes } from './volume-browse-routes.ts';
import { registryRoutes } from './registries-routes.ts';
import { RegistryStore } from '../registries/store.ts';
import { SecretBox } from '../registries/secret-box.ts';
import { imageHintsRoutes } from './image-hints-routes.ts';
import { AuditStore } from '../audit/store.ts';
import { AuditTrail, type AuditRecording } from '../audit/trail.ts';
import { auditRoutes } from './audit-routes.ts';
import { updatesRoutes } from './updates-routes.ts';
import { UpdateChecker } from '../updates/checker.ts';
import { UpdateStore } from '../updates/store.ts';
import { ContainerUpdater } from '../updates/updater.ts';
import { scheduleUpdateChecks } from '../updates/schedule.ts';
import { LOCAL_ENVIRONMENT_ID } from '../protocol/index.ts';
import { templateRoutes } from './templates-routes.ts';
import { createDispatch } from '../docker-api/dispatch.ts';
import { buildRouter } from '../docker-api/routes.ts';
import { engineLookup, PolicyService, SecuritySettingsStore } from '../policy/index.ts';
import { securityRoutes } from './security-routes.ts';
import { TemplateCatalogue } from '../templates/catalogue.ts';
import { BUILTIN_TEMPLATES } from '../paths.ts';
import { LogoProxy } from '../templates/logos.ts';
import { TemplateSourcesFile } from '../templates/sources-file.ts';
import { CustomTemplateStore } from '../templates/custom-store.ts';
import { customTemplateRoutes } from './custom-templates-routes.ts';
import { stackRoutes } from './stacks-routes.ts';
import { StackEngine } from '../stacks/engine.ts';
import { StackFolders } from '../stacks/files.ts';
import { StackService } from '../stacks/service.ts';

export interface DashboardOptions {
  engine: Engine;
  /** The data root; the dashboard keeps `dashboard.db` there. */
  root: string;
  /** The embedded engine's Docker API socket: environment `local`. */
  socketPath: string;
  adminPassword?: string;
  /** App template sources besides the built-in catalogue (WHARF_TEMPLATES_URL). */
  templateUrls?: readonly string[];
  /** Where the setup token and notices go; the server's stdout by default. */
  log?: (line: string) => void;
  /** How often images in use are compared with their registries; null or absent: only on demand. */
  updateIntervalMs?: number | null;
  /** Whether the dashboard's pages are loaded (`/api/health`). */
  pagesState?: () => string;
}

export interface Dashboard {
  auth: AuthService;
  environments: EnvironmentRegistry;
  policy: PolicyService;
  /** Answers one `/api/*` request. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): void;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Dashboard API answers are per user and per moment: never cached. */
const NO_STORE = { 'Cache-Control': 'no-store' };

/** The dashboard API: auth, users, environments and the Docker API proxy. */
export async function openDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const db: DashboardDb = openDashboardDb(path.join(opts.root, 'dashboard.db'));
  const auth = new AuthService(db);
  await auth.bootstrap(opts.adminPassword, opts.log ?? ((line) => console.log(line)));
  const environments = new EnvironmentRegistry(db, opts.socketPath);
  // Registry passwords are sealed with a key of their own beside the database (0600).
  const registries = new RegistryStore(db, await SecretBox.fromKeyFile(path.join(opts.root, 'registry-secrets.key')));
  const loopDelay = new LoopDelayMonitor();
  const securitySettings = new SecuritySettingsStore(db);
  const policy = new PolicyService(securitySettings);
  const dockerRouter = buildRouter();
  const audit = new AuditTrail(new AuditStore(db));
  const updateStore = new UpdateStore(db);
  const checker = new UpdateChecker(opts.engine, registries, updateStore);
  const localLookup = engineLookup(opts.engine);
  const updater = new ContainerUpdater(environments.client(LOCAL_ENVIRONMENT_ID)!, registries, updateStore, checker, (role, id) => policy.checkContainer(
    { username: role, role, environment: LOCAL_ENVIRONMENT_ID, settings: securitySettings.get(LOCAL_ENVIRONMENT_ID) }, localLookup, id,
  ));
  const log = opts.log ?? ((line: string) => console.log(line));
  const updateSchedule = opts.updateIntervalMs ? scheduleUpdateChecks(checker, opts.updateIntervalMs, log) : undefined;
  // Template sources and logos are fetched with a client of the dashboard's own, closed with it.
  const http = new HttpClient();
  const savedSources = new TemplateSourcesFile(path.join(opts.root, 'template-sources.json'));
  const customTemplates = new CustomTemplateStore(path.join(opts.root, 'custom-templates.json'));
  const catalogue = new TemplateCatalogue({ builtinPath: BUILTIN_TEMPLATES, urls: opts.templateUrls ?? [], saved: () => savedSources.read(), custom: () => customTemplates.list(), http });
  // Stacks drive the local environment through its Docker API, as compose tools do.
  const stacks = new StackService({ folders: new StackFolders(path.join(opts.root, 'stacks')), engine: new StackEngine(environments.client(LOCAL_ENVIRONMENT_ID)!) });
  const engineInfo: Route = {
    method: 'GET', path: '/api/engine/info', access: 'user',
    handler: async () => ({ status: 200, body: await opts.engine.system.info() }),
  };
  const router = new Router<Route>().add(
    healthRoute(loopDelay, () => opts.engine.usage.pendingWalks, opts.pagesState),
    ...authRoutes(auth),
    ...userRoutes(auth),
    ...environmentRoutes(environments, securitySettings),
    ...dockerRoutes({ environments, registries, policy, dispatch: createDispatch(opts.engine, dockerRouter), router: dockerRouter }),
    ...securityRoutes(securitySettings, environments),
    ...registryRoutes(registries, opts.engine),
    ...volumeBrowseRoutes(opts.engine, environments),
    ...kernelRoutes(opts.engine, environments),
    ...imageHintsRoutes(opts.engine, environments),
    ...updatesRoutes({ checker, store: updateStore, updater }, environments),
    ...templateRoutes(catalogue, new LogoProxy(http), savedSources, opts.templateUrls ?? []),
    ...customTemplateRoutes(customTemplates, catalogue, environments.client(LOCAL_ENVIRONMENT_ID)!),
    ...stackRoutes(stacks, catalogue, (user) => ({ role: user.role, policy: policy.bind(policy.principal(user, LOCAL_ENVIRONMENT_ID), localLookup) })),
    engineInfo,
    ...auditRoutes(audit.store),
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let recording: AuditRecording | undefined;
    try {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'http://dashboard');
      // Every mutating request that reaches a route is recorded when it is answered.
      recording = MUTATING.has(method) ? audit.begin(req, res) : undefined;
      if (MUTATING.has(method) && !originAllowed(req)) throw new PermissionDeniedError('cross-origin request refused: the Origin header is not this dashboard');
      const hit = router.match(method, url.pathname);
      const isPublic = 'route' in hit && hit.route.access === 'public';
      // Signed-out clients learn nothing about which routes exist.
      const session = isPublic ? undefined : auth.authenticate(req);
      if (!isPublic && !session) throw new UnauthenticatedError('sign in first');
      if (!('route' in hit)) {
        if (hit.allowed.length === 0) throw new NotFoundError(`no API route ${method} ${url.pathname}`);
        throw new MethodNotAllowedError(`${method} is not allowed on ${url.pathname}`, hit.allowed);
      }
      // A public route's caller may still be signed in (sign-out names who left).
      recording?.route(hit.route.path, hit.params, url, session?.user ?? (isPublic ? auth.authenticate(req)?.user : undefined));
      if (hit.route.access === 'admin' && session?.user.role !== 'admin') throw new PermissionDeniedError('only admins can do this');
      const reply = await hit.route.handler({ req, res, url, params: hit.params, session, audit: recording?.note ?? {} });
      recording?.succeeded(reply?.status ?? res.statusCode, reply?.body);
      if (reply) sendJson(res, reply.status, reply.body, { ...NO_STORE, ...reply.headers });
    } catch (err) {
      recording?.failed(err);
      sendError(res, err, 'dashboard api', NO_STORE);
    }
  }

  return {
    auth,
    environments,
    policy,
    handle,
    close() {
      updateSchedule?.stop();
      environments.close();
      loopDelay.close();
      void http.close();
      db.close();
    },
  };
}
