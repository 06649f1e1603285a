import assert from 'node:assert/strict';
import { join } from 'node:path';
import type http from 'node:http';
import { startTestEngine, type TestEngine, type Leftovers } from './engine.ts';
import { createDockerApiServer } from '../../server/docker-api/server.ts';
import { listenUnix } from '../../server/docker-api/listen.ts';
import { cliConfigDir, runDocker, type CliOptions, type CliResult } from './docker-cli.ts';

export interface ApiHarness {
  t: TestEngine;
  socket: string;
  /** Run the stock docker CLI against this engine. */
  docker(args: string[], opts?: CliOptions): Promise<CliResult>;
  /** Run the docker CLI, assert it succeeded, and return its stdout. */
  ok(args: string[], input?: string): Promise<string>;
  close(): Promise<Leftovers>;
}


/** An engine plus its Docker API on a private socket, as a test server. */
export async function startApiServer(name: string): Promise<ApiHarness> {
  const t = await startTestEngine(name);
  const socket = join(t.config.runRoot, 'docker.sock');
  let server: http.Server = createDockerApiServer(t.engine);
  await listenUnix(server, socket);
  // Hijacked connections are not the server's any more: close() would wait for them forever.
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s: import('node:net').Socket) => { sockets.add(s); s.once('close', () => sockets.delete(s)); });
  const h: ApiHarness = {
    t,
    socket,
    docker: (args, opts = {}) => runDocker(socket, cliConfigDir(t.config.runRoot), args, opts),
    async ok(args, input) {
      const r = await h.docker(args, { input });
      assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    },
    async close() {
      await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); for (const s of sockets) s.destroy(); });
      server = undefined as unknown as http.Server;
      return t.cleanup();
    },
  };
  return h;
}
