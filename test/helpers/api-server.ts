import assert from 'node:assert/strict';
import type Docker from 'dockerode';
import type { Leftovers } from './engine.ts';
import { startWharf } from './wharf-server.ts';
import { cliConfigDir, runDocker, type CliOptions, type CliResult } from './docker-cli.ts';

export interface ApiHarness {
  /** The Docker Engine API socket of the server. */
  socket: string;
  /** The dashboard of the same server: http://127.0.0.1:<port>. */
  url: string;
  /** Where the server keeps its data, its runtime state and its containers' cgroups. */
  config: { root: string; runRoot: string; cgroupParent: string; bridgeName: string; bridgeSubnet: string };
  /** dockerode on the server's socket. */
  dockerode: Docker;
  /** Every line the server printed so far. */
  output: string[];
  /** Run the stock docker CLI against this server. */
  docker(args: string[], opts?: CliOptions): Promise<CliResult>;
  /** Run the docker CLI, assert it succeeded, and return its stdout. */
  ok(args: string[], input?: string): Promise<string>;
  /** Removes every container while the engine answers, stops the server, returns what it left. */
  close(): Promise<Leftovers>;
}

/**
 * Wharf exactly as `npm start` composes it (engine, Docker API, dashboard and Next) in its own
 * process, with its own data root, run root, socket, port and cgroup parent. `env` adds to the
 * server's environment (WHARF_ADMIN_PASSWORD…).
 */
export async function startApiServer(name: string, opts: { env?: Record<string, string> } = {}): Promise<ApiHarness> {
  const wharf = await startWharf(name, opts.env);
  const config = { root: wharf.root, runRoot: wharf.runRoot, cgroupParent: wharf.cgroupParent, bridgeName: wharf.bridgeName, bridgeSubnet: wharf.bridgeSubnet };
  const h: ApiHarness = {
    socket: wharf.socket,
    url: wharf.url,
    config,
    dockerode: wharf.docker,
    output: wharf.output,
    docker: (args, o = {}) => runDocker(wharf.socket, cliConfigDir(config.runRoot), args, o),
    async ok(args, input) {
      const r = await h.docker(args, { input });
      assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    },
    close: () => wharf.stop(),
  };
  return h;
}
