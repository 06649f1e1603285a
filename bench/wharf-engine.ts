/**
 * Wharf's engine and its Docker API on a given socket, without the dashboard: what the
 * benchmark talks to. Config comes from the usual environment variables.
 */
import { createEngine, defaultEngineConfig } from '../runtime/index.ts';
import { createDockerApiServer } from '../server/docker-api/server.ts';
import { listenUnix } from '../server/docker-api/listen.ts';

const socket = process.env.WHARF_SOCKET ?? '/run/wharf/docker.sock';
const engine = await createEngine(defaultEngineConfig());
const server = createDockerApiServer(engine);
await listenUnix(server, socket);
process.stdout.write(`ready ${socket}\n`);
const stop = (): void => {
  server.close();
  server.closeAllConnections();
  void engine.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
