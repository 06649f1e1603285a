/**
 * Starts Wharf the way `npm start` does (after setup has built .next): its own data root,
 * run root, socket, port and cgroup parent, and takes all of it away again, reporting what
 * the server left on the host.
 */
import { PassThrough } from 'node:stream';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { buildServer } from '../../scripts/build-server.ts';
import { leftovers, testBridge, type Leftovers } from './engine.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The server bundle, built once per test process from the sources being tested (the same
 * build `npm start`'s set-up runs, so a test never runs a stale bundle).
 */
let bundle: Promise<string> | undefined;
export function serverBundle(): Promise<string> {
  return (bundle ??= buildServer());
}

export interface Wharf {
  url: string;
  /** The server process (the engine and the dashboard are one process). */
  pid: number;
  socket: string;
  /** WHARF_ROOT, WHARF_RUN and WHARF_CGROUP_PARENT of this server. */
  root: string;
  runRoot: string;
  cgroupParent: string;
  /** The bridge device and subnet of this instance's default network. */
  bridgeName: string;
  bridgeSubnet: string;
  /** A directory of this test run for fixtures (bind-mount sources…); removed at stop. */
  dir: string;
  docker: Docker;
  output: string[];
  /** Resolves with the first match of `pattern` in the server's output, past or future. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Removes every container, stops the server, and returns what it left behind. */
  stop(): Promise<Leftovers>;
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The cgroup directories an engine with this parent may have created, on v1 and v2 hosts. */
function cgroupDirs(parent: string): string[] {
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' '));
  return mounts
    .filter((fields) => fields[2] === 'cgroup' || fields[2] === 'cgroup2')
    .map((fields) => path.join(fields[1]!, parent));
}

export async function startWharf(name: string, extraEnv: Record<string, string> = {}): Promise<Wharf> {
  if (!existsSync(path.join(repoRoot, '.next', 'BUILD_ID'))) {
    throw new Error('the dashboard is not built: run `npm run setup` (scripts/setup.sh) first');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), `wharf-test-${name}-`));
  const cgroupParent = `/wharf-test-${name}-${path.basename(dir).slice(-6)}`;
  const port = await freePort();
  const root = path.join(dir, 'root');
  const runRoot = path.join(dir, 'run');
  const socket = path.join(runRoot, 'docker.sock');
  // A bridge device and subnet of its own: never the host's Wharf's, nor another test server's.
  const bridge = testBridge(path.basename(dir));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    // Every instance on its own HTTPS port too: the default (9443) is one per machine. Port 0,
    // chosen by the kernel at listen: a second free-port probe could return the port just
    // probed for PORT, which is free again until the server binds it.
    WHARF_HTTPS_PORT: '0',
    WHARF_HOST: '127.0.0.1',
    WHARF_ROOT: root,
    WHARF_RUN: runRoot,
    WHARF_SOCKET: socket,
    WHARF_CGROUP_PARENT: cgroupParent,
    WHARF_BRIDGE_NAME: bridge.bridgeName,
    WHARF_BRIDGE_SUBNET: bridge.bridgeSubnet,
    NODE_ENV: 'production',
    ...extraEnv,
  };
  // The test runner marks its own children; the server is not one of them.
  delete env.NODE_TEST_CONTEXT;
  const child: ChildProcess = spawn(process.execPath, [await serverBundle()], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (m: RegExpExecArray) => void }>();
  const onLine = (line: string) => {
    output.push(line);
    for (const w of waiters) {
      const m = w.pattern.exec(line);
      if (m) {
        waiters.delete(w);
        w.resolve(m);
      }
    }
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  const exited = once(child, 'exit');

  const waitForLine = (pattern: RegExp, timeoutMs = 60_000) => new Promise<RegExpExecArray>((resolve, reject) => {
    for (const line of output) {
      const m = pattern.exec(line);
      if (m) return resolve(m);
    }
    const waiter = { pattern, resolve: (m: RegExpExecArray) => { clearTimeout(timer); resolve(m); } };
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; server output:\n${output.join('\n')}`));
    }, timeoutMs);
    waiters.add(waiter);
    void exited.then(() => {
      if (!waiters.has(waiter)) return;
      waiters.delete(waiter);
      clearTimeout(timer);
      reject(new Error(`the server exited; output:\n${output.join('\n')}`));
    });
  });

  const docker = new Docker({ socketPath: socket });
  let stopped: Promise<Leftovers> | undefined;
  const stop = () => (stopped ??= takeDown());
  const takeDown = async (): Promise<Leftovers> => {
    // Containers outlive the server by design: remove them while the engine still answers.
    if (child.exitCode === null && child.signalCode === null) {
      const all = await docker.listContainers({ all: true }).catch(() => []);
      await pool(all, 16, (c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined));
      const networks = await docker.listNetworks().catch(() => []);
      const own = networks.filter((n) => !['bridge', 'host', 'none'].includes(n.Name));
      await pool(own, 4, (n) => docker.getNetwork(n.Id).remove().catch(() => undefined));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    const left = await leftovers({ root, runRoot, cgroupParent, ...bridge });
    for (const cgroup of cgroupDirs(cgroupParent)) {
      if (existsSync(cgroup)) {
        try {
          rmdirSync(cgroup);
        } catch {
          // A cgroup still populated (a container that escaped removal) is reported by the test, not hidden.
        }
      }
    }
    // A mount still in place would let a recursive remove reach into what it mounts.
    if (left.mounts.length === 0) rmSync(dir, { recursive: true, force: true });
    return left;
  };

  try {
    const [, url] = await waitForLine(/^wharf: dashboard on (http:\/\/\S+)$/, 120_000);
    await waitForLine(/^wharf: Docker Engine API on /, 60_000);
    return { url: url!, pid: child.pid!, socket, root, runRoot, cgroupParent, ...bridge, dir, docker, output, waitForLine, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Runs a command in a container and returns its stdout. */
export async function dockerExec(docker: Docker, container: string, cmd: string[]): Promise<string> {
  const exec = await docker.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  docker.modem.demuxStream(stream, stdout, new PassThrough().resume());
  await once(stream, 'end');
  return Buffer.concat(chunks).toString();
}

