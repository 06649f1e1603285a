import type http from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type tls from 'node:tls';
import { createEngine, spawnAddonError, type Engine } from '../runtime/index.ts';
import { loadConfigOrExit, type ServerConfig } from './config.ts';
import { closeServer, createDashboardServer, listen } from './http.ts';
import { createPages, type Pages } from './pages/index.ts';
import { repoRoot } from './paths.ts';
import { createDockerApiServer } from './docker-api/server.ts';
import { listenUnix } from './docker-api/listen.ts';
import { openDashboard, type Dashboard } from './dashboard-api/index.ts';
import { attachRealtime, type Realtime } from './realtime/index.ts';
import { SOCKET_PATH } from './protocol/index.ts';
import { dashboardCertificate } from './tls/certificate.ts';
import { listenTls } from './tls/listen-tls.ts';

interface Running { engine: Engine; app: Pages; servers: http.Server[]; tlsServers: tls.Server[]; dashboard: Dashboard; realtime: Realtime }

async function start(config: ServerConfig): Promise<Running> {
  if (spawnAddonError) console.warn(`wharf: helper processes fork the engine, holding up the event loop: the posix_spawn addon did not load (${spawnAddonError}); \`npm ci\` builds it`);
  const engine = await createEngine(config.engine);
  const app = createPages({ dev: config.dev, dir: repoRoot, hostname: config.host, port: config.port, socketPath: join(config.engine.runRoot, 'pages', 'next.sock'), idleMs: config.pagesIdleMs });
  // Shutdown closes every server in this list.
  const servers: http.Server[] = [];
  const tlsServers: tls.Server[] = [];
  let dashboard: Dashboard | undefined;
  let realtime: Realtime | undefined;
  try {
    dashboard = await openDashboard({
      engine, root: config.engine.root, socketPath: config.socketPath, adminPassword: config.adminPassword,
      updateIntervalMs: config.updateIntervalMs, templateUrls: config.templateUrls, pagesState: () => app.state(),
    });
    const server = createDashboardServer({ api: dashboard.handle, pages: app.handle, dev: config.dev });
    realtime = attachRealtime(server, dashboard);
    // socket.io answers its own upgrades; the others (hot reload in development) are Next's.
    server.on('upgrade', (req, socket, head) => {
      if (!(req.url ?? '').startsWith(`${SOCKET_PATH}/`)) app.upgrade(req, socket, head).catch(() => socket.destroy());
    });
    servers.push(server);
    const address = await listen(server, { host: config.host, port: config.port });
    const port = typeof address === 'string' ? config.port : address.port;
    // Server-rendered pages read engine data from our own API in this same process.
    process.env.WHARF_INTERNAL_ORIGIN = `http://${loopbackFor(config.host)}:${port}`;
    console.log(`wharf: dashboard on http://${bracketIPv6(config.host)}:${port}`);
    const pair = await dashboardCertificate(join(config.engine.root, 'tls'), config.tls);
    if (pair.generated) console.log(`wharf: generated a self-signed certificate for the dashboard: ${pair.certPath}`);
    if (config.httpsPort !== null) {
      const secure = await listenTls(server, pair, { host: config.host, port: config.httpsPort });
      tlsServers.push(secure);
      console.log(`wharf: dashboard on https://${bracketIPv6(config.host)}:${(secure.address() as { port: number }).port}`);
    }
    const dockerApi = createDockerApiServer(engine);
    await listenUnix(dockerApi, config.socketPath);
    servers.push(dockerApi);
    console.log(`wharf: Docker Engine API on unix://${config.socketPath}`);
    if (config.dockerTls) {
      // Mutual TLS: a client without a certificate signed by the administrator's CA never gets a byte through.
      const ca = await readFile(config.dockerTls.ca);
      const secure = await listenTls(dockerApi, { ...pair, ca, requestCert: true, rejectUnauthorized: true }, config.dockerTls);
      tlsServers.push(secure);
      console.log(`wharf: Docker Engine API on tcp://${bracketIPv6(config.dockerTls.host)}:${(secure.address() as { port: number }).port} (mutual TLS)`);
    }
  } catch (err) {
    await realtime?.close();
    for (const s of tlsServers) s.close();
    await Promise.allSettled([...servers.map((s) => closeServer(s)), app.close()]);
    dashboard?.close();
    await engine.close();
    throw err;
  }
  return { engine, app, servers, tlsServers, dashboard, realtime };
}

/** Containers are supervised by conmon, so stopping the server leaves them running by design. */
async function stop({ engine, app, servers, tlsServers, dashboard, realtime }: Running): Promise<void> {
  // Sockets first: their engine streams would otherwise hold the servers open until the grace period.
  await realtime.close();
  // TLS listeners only accept; their connections belong to the HTTP servers closed next.
  for (const s of tlsServers) s.close();
  await Promise.all(servers.map((s) => closeServer(s)));
  await app.close();
  dashboard.close();
  await engine.close();
}

/** A host this process can reach itself on, given the address the dashboard listens on. */
function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === 'localhost') return '127.0.0.1';
  return bracketIPv6(host);
}

function bracketIPv6(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function handleSignals(running: Running): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`wharf: ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.log(`wharf: ${signal}, shutting down (containers keep running)`);
    stop(running).then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('wharf: shutdown failed:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * An error no listener was told of (a peer gone in the middle of a write) belongs to one
 * connection, not to every user's: it is logged and the process serves on, as it did while
 * Next's server (which installs the same handlers) was loaded at start. Containers never depend
 * on this process: conmon supervises them.
 */
process.on('uncaughtException', (err) => console.error('wharf: internal error (uncaught exception):', err));
// Output whose reader has gone (`npm start | tee log` after tee died) is dropped: unhandled, each
// failed write was an uncaught exception, logged by a write that failed in turn, without end.
for (const out of [process.stdout, process.stderr]) out.on('error', () => undefined);
process.on('unhandledRejection', (reason) => console.error('wharf: internal error (unhandled rejection):', reason));

// Wharf often runs without internet access; Next would otherwise try to report usage.
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

const config = loadConfigOrExit();
try {
  handleSignals(await start(config));
} catch (err) {
  // System errors (EADDRINUSE, EACCES…) say all in their message; anything else needs its stack.
  const systemError = err instanceof Error && 'syscall' in err;
  console.error('wharf: cannot start:', systemError ? err.message : err);
  process.exit(1);
}
