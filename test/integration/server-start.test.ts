import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { serverBundle } from '../helpers/wharf-server.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

async function freePort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Resolves with the dashboard URL from the server's listening line; rejects if it exits first. */
function waitForListening(child: ChildProcess, output: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output.push(line);
      const match = /^wharf: dashboard on (http:\/\/\S+)$/.exec(line);
      if (match) resolve(match[1]!);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    child.once('exit', (code, signal) => {
      reject(new Error(`server exited before listening (code ${code}, signal ${signal}):\n${output.join('\n')}`));
    });
  });
}

/** The cgroup directories an engine with this parent may have created, on v1 and v2 hosts. */
function cgroupDirs(parent: string): string[] {
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' '));
  return mounts
    .filter((fields) => fields[2] === 'cgroup' || fields[2] === 'cgroup2')
    .map((fields) => path.join(fields[1]!, parent));
}

/** A server of this test's own (data root, run directory, port, cgroup parent), spawned from the bundle with piped output. */
async function spawnServer(t: { after(fn: () => void): void }): Promise<{ child: ChildProcess; env: NodeJS.ProcessEnv; dir: string; port: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wharf-server-start-'));
  const cgroupParent = `/wharf-test-${path.basename(dir).slice(-6)}`;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    WHARF_HOST: '127.0.0.1',
    WHARF_ROOT: path.join(dir, 'root'),
    WHARF_RUN: path.join(dir, 'run'),
    WHARF_SOCKET: path.join(dir, 'run', 'docker.sock'),
    WHARF_CGROUP_PARENT: cgroupParent,
    NODE_ENV: 'production',
    WHARF_ADMIN_PASSWORD: 'correct horse battery staple',
  };
  // The test runner marks its own children; the server is not one of them.
  delete env.NODE_TEST_CONTEXT;

  const child = spawn(process.execPath, [await serverBundle()], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const cgroup of cgroupDirs(cgroupParent)) {
      if (existsSync(cgroup)) rmdirSync(cgroup);
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return { child, env, dir, port };
}

test('the server serves the API and the home page, and stops cleanly on SIGTERM', { timeout: 180_000 }, async (t) => {
  const { child, env, dir, port } = await spawnServer(t);
  const output: string[] = [];
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

  const url = await waitForListening(child, output);
  assert.equal(url, `http://127.0.0.1:${port}`);
  // The bundle loads the posix_spawn addon: helper processes do not fork the engine.
  assert.equal(output.filter((l) => /posix_spawn addon/.test(l)).join('\n'), '');

  const health = await fetch(`${url}/api/health`);
  assert.equal(health.status, 200);
  const healthBody = await health.json() as { status: string; eventLoopDelay: Record<string, number>; backgroundWalks: number };
  assert.equal(healthBody.status, 'ok');
  // Signed-out callers learn how the loop fares, whether the pages are loaded, and nothing else.
  assert.deepEqual(Object.keys(healthBody).sort(), ['backgroundWalks', 'eventLoopDelay', 'pages', 'status']);
  assert.deepEqual(Object.keys(healthBody.eventLoopDelay).sort(), ['max', 'mean', 'p50', 'p99', 'samples', 'windowSeconds']);

  // Engine facts are for signed-in users only.
  assert.equal((await fetch(`${url}/api/engine/info`)).status, 401);
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: env.WHARF_ADMIN_PASSWORD }) });
  assert.equal(login.status, 200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  assert.match(cookie, /^wharf_session=/);
  const info = await fetch(`${url}/api/engine/info`, { headers: { cookie } });
  assert.equal(info.status, 200);
  const body = (await info.json()) as { DockerRootDir?: string };
  assert.equal(body.DockerRootDir, env.WHARF_ROOT);

  // The dashboard pages come from the Next build.
  const page = await fetch(`${url}/login`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.match(await page.text(), /Wharf/);

  // The same process serves the Docker Engine API on its unix socket, 0660 and owned by root.
  const sock = statSync(env.WHARF_SOCKET!);
  assert.ok(sock.isSocket());
  assert.equal(sock.mode & 0o777, 0o660);
  assert.equal(sock.uid, 0);
  const ping = execFileSync('docker', ['-H', `unix://${env.WHARF_SOCKET}`, 'version', '--format', '{{.Server.APIVersion}}'], { env: { ...process.env, DOCKER_CONFIG: path.join(dir, 'cli') } }).toString().trim();
  assert.equal(ping, '1.47');

  child.kill('SIGTERM');
  const [code, signal] = await exited;
  assert.equal(signal, null, output.join('\n'));
  assert.equal(code, 0, output.join('\n'));
});


/** Write system calls the process has made so far (/proc/<pid>/io). */
function writeCalls(pid: number): number {
  return Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);
}

test('a server whose output reader is gone keeps serving, and does not spin logging its failed writes', { timeout: 180_000 }, async (t) => {
  // As `npm start | tee log` after tee is killed: every line the server writes meets a closed pipe.
  const { child, env } = await spawnServer(t);
  child.stdout!.destroy();
  child.stderr!.destroy();
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const docker = (args: string[]) => execFileSync('docker', ['-H', `unix://${env.WHARF_SOCKET}`, ...args], { env: { ...process.env, DOCKER_CONFIG: path.join(env.WHARF_ROOT!, '..', 'cli') } }).toString().trim();
  for (let i = 0; ; i++) {
    // Its start-up lines ("dashboard on ...") were written into the closed pipe.
    if (existsSync(env.WHARF_SOCKET!)) break;
    assert.ok(i < 600 && child.exitCode === null, 'the server starts');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(docker(['version', '--format', '{{.Server.APIVersion}}']), '1.47');
  // Idle, it writes nothing: no failed write is logged as an error that is itself a failed write.
  const before = writeCalls(child.pid!);
  await new Promise((r) => setTimeout(r, 1000));
  const written = writeCalls(child.pid!) - before;
  assert.ok(written < 50, `${written} write calls in an idle second`);
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0);
});
