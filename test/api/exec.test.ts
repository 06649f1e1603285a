import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { eventually, typeUntil } from '../helpers/engine.ts';

let h: ApiHarness;
let running: string;

before(async () => {
  h = await startApiServer('exec');
  const c = await h.dockerode.createContainer({ name: 'exec-main', Image: 'busybox', Cmd: ['sleep', '1000'] });
  await c.start();
  running = c.id;
});

after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ socketPath: h.socket, method, path, headers: data ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

test('docker exec runs a command and keeps stdout and stderr apart', async () => {
  const r = await h.docker(['exec', 'exec-main', 'echo', 'hello']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hello\n');
  const both = await h.docker(['exec', 'exec-main', 'sh', '-c', 'echo out; echo err >&2']);
  assert.equal(both.stdout, 'out\n');
  assert.equal(both.stderr, 'err\n');
});

test('short commands run side by side never lose their output', async () => {
  // The output of a command that ends before the engine learns it started is held, not dropped.
  const once = async (i: number): Promise<string> => (await h.docker(['exec', 'exec-main', 'sh', '-c', `echo out-${i}; echo err-${i} >&2`])).stdout;
  for (let round = 0; round < 10; round++) {
    const outs = await Promise.all([0, 1, 2, 3].map((k) => once(round * 4 + k)));
    assert.deepEqual(outs, [0, 1, 2, 3].map((k) => `out-${round * 4 + k}\n`));
  }
});

test('the exit code of the exec is the exit code of the CLI', async () => {
  const r = await h.docker(['exec', 'exec-main', 'sh', '-c', 'exit 7']);
  assert.equal(r.code, 7);
  const missing = await h.docker(['exec', 'exec-main', 'no-such-binary']);
  assert.notEqual(missing.code, 0);
});

test('docker exec -u, -w and -e reach the process', async () => {
  const r = await h.docker(['exec', '-u', 'nobody', '-w', '/tmp', '-e', 'A=b', 'exec-main', 'sh', '-c', 'echo "$(id -u) $(pwd) $A"']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '65534 /tmp b\n');
});

test('docker exec -d returns at once and the command runs', async () => {
  const r = await h.docker(['exec', '-d', 'exec-main', 'sh', '-c', 'sleep 0.2; echo detached > /tmp/detached']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  await eventually(async () => (await h.docker(['exec', 'exec-main', 'cat', '/tmp/detached'])).stdout === 'detached\n', 'the detached exec to write its file');
});

test('piped stdin reaches the process; output keeps flowing after stdin closes', async () => {
  const r = await h.docker(['exec', '-i', 'exec-main', 'cat'], { input: 'hi\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hi\n');
  const late = await h.docker(['exec', '-i', 'exec-main', 'sh', '-c', 'cat; sleep 0.3; echo after; exit 4'], { input: 'first\n' });
  assert.equal(late.stdout, 'first\nafter\n');
  assert.equal(late.code, 4);
});

test('docker exec -it gives an interactive shell on a terminal', async () => {
  const env = { ...process.env, DOCKER_HOST: `unix://${h.socket}`, DOCKER_CONFIG: join(h.config.runRoot, 'docker-config'), DOCKER_CLI_HINTS: 'false' } as Record<string, string>;
  const term = pty.spawn('docker', ['exec', '-it', 'exec-main', 'sh'], { name: 'xterm', cols: 101, rows: 31, env });
  let out = '';
  term.onData((d) => { out += d; });
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  try {
    const until = (re: RegExp, what: string) => eventually(() => re.test(out), what, 60_000);
    await until(/\/ # /, 'the shell prompt');
    await typeUntil((line) => term.write(line), 'echo $((6*7))\r', () => /\r\n42\r\n/.test(out), 'the shell to print 42');
    await typeUntil((line) => term.write(line), 'stty size\r', () => /31 101/.test(out), 'the terminal size to reach the exec');
    let exitCode: number | undefined;
    void exited.then((code) => { exitCode = code; });
    await typeUntil((line) => term.write(line), 'exit 3\r', () => exitCode !== undefined, 'the shell to exit');
    assert.equal(exitCode, 3);
  } finally {
    term.kill();
  }
});

test('exec into a paused or stopped container is a 409; an unknown exec a 404', async () => {
  await h.dockerode.getContainer(running).pause();
  try {
    const r = await h.docker(['exec', 'exec-main', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /is paused/);
    const api = await raw('POST', '/containers/exec-main/exec', { Cmd: ['true'] });
    assert.equal(api.status, 409);
  } finally {
    await h.dockerode.getContainer(running).unpause();
  }
  const c = await h.dockerode.createContainer({ Image: 'busybox', Cmd: ['true'] });
  const stopped = await raw('POST', `/containers/${c.id}/exec`, { Cmd: ['true'] });
  assert.equal(stopped.status, 409);
  assert.match(JSON.parse(stopped.body).message, /is not running/);
  assert.equal((await raw('GET', '/exec/nope/json')).status, 404);
  const noCmd = await raw('POST', '/containers/exec-main/exec', { Cmd: [] });
  assert.equal(noCmd.status, 400);
});

test('exec inspect shows the process config, then the exit code', async () => {
  const created = await raw('POST', '/containers/exec-main/exec', { Cmd: ['sh', '-c', 'exit 9'], User: 'nobody', AttachStdout: true });
  assert.equal(created.status, 201);
  const { Id } = JSON.parse(created.body) as { Id: string };
  const before = JSON.parse((await raw('GET', `/exec/${Id}/json`)).body);
  assert.equal(before.ID, Id);
  assert.equal(before.Running, false);
  assert.equal(before.ExitCode, null);
  assert.equal(before.ContainerID, running);
  assert.deepEqual(before.ProcessConfig, { tty: false, entrypoint: 'sh', arguments: ['-c', 'exit 9'], privileged: false, user: 'nobody' });
  assert.equal(before.OpenStdout, true);
  assert.equal(before.OpenStdin, false);
  const started = await raw('POST', `/exec/${Id}/start`, { Detach: true });
  assert.equal(started.status, 200);
  await eventually(async () => JSON.parse((await raw('GET', `/exec/${Id}/json`)).body).ExitCode === 9, 'the exit code');
  const again = await raw('POST', `/exec/${Id}/start`, { Detach: true });
  assert.equal(again.status, 409);
});
