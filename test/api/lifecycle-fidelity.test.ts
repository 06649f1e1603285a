/**
 * Lifecycle semantics as dockerd has them, through the docker CLI, dockerode and raw HTTP: kill
 * that returns once the container is dead, waits that end with a removal, exec's 126/127,
 * supplementary groups, legacy link variables, exec detach keys, and commits (Parent, and a
 * container caught while its process is exiting).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { eventually } from '../helpers/engine.ts';
import { request } from '../helpers/unix-http.ts';

let h: ApiHarness;
before(async () => { h = await startApiServer('lifecycle'); });
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const api = (method: string, path: string, body?: unknown) => request({ socketPath: h.socket }, method, path, { body });
const ok = (args: string[]): Promise<string> => h.ok(args);

test('kill returns once the container is dead: inspect says exited (137) and rm succeeds right after', async () => {
  for (let i = 0; i < 4; i++) {
    const c = await h.dockerode.createContainer({ name: `lc-kill-${i}`, Image: 'busybox', Cmd: ['sleep', '600'] });
    await c.start();
    await c.kill();
    const info = await c.inspect();
    assert.equal(info.State.Status, 'exited', `run ${i}`);
    assert.equal(info.State.ExitCode, 137);
    await c.remove();
  }
  await ok(['run', '-d', '--name', 'lc-kill-cli', 'busybox', 'sleep', '600']);
  await ok(['kill', 'lc-kill-cli']);
  await ok(['rm', 'lc-kill-cli']);
});

test('kill with another signal returns once delivered; bad signals and stopped containers as dockerd words them', async () => {
  await ok(['run', '-d', '--name', 'lc-hup', 'busybox', 'sh', '-c', 'trap "echo got-hup" HUP; echo ready; while true; do sleep 0.1; done']);
  await eventually(async () => (await ok(['logs', 'lc-hup'])).includes('ready'), 'the trap to be set');
  await ok(['kill', '-s', 'HUP', 'lc-hup']);
  await eventually(async () => (await ok(['logs', 'lc-hup'])).includes('got-hup'), 'the signal to arrive');
  assert.equal((await ok(['inspect', '-f', '{{.State.Running}}', 'lc-hup'])).trim(), 'true');
  const bad = await api('POST', '/v1.47/containers/lc-nobody/kill?signal=BOGUS');
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json(), { message: 'Invalid signal: BOGUS' });
  assert.equal((await api('POST', '/v1.47/containers/lc-hup/kill?signal=0')).status, 400);
  await ok(['kill', 'lc-hup']);
  const id = (await ok(['inspect', '-f', '{{.Id}}', 'lc-hup'])).trim();
  const again = await api('POST', '/v1.47/containers/lc-hup/kill');
  assert.equal(again.status, 409);
  assert.deepEqual(again.json(), { message: `Cannot kill container: lc-hup: Container ${id} is not running` });
  await ok(['rm', 'lc-hup']);
});

/**
 * POST /wait with a condition. Resolves once the answer's headers arrived (the server sends
 * them when its waiter is registered) with the promise of the whole answer.
 */
function waitFor(name: string, condition: string): Promise<{ result: Promise<{ status: number; body: unknown }> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method: 'POST', path: `/v1.47/containers/${name}/wait?condition=${condition}` }, (res) => {
      const result = new Promise<{ status: number; body: unknown }>((done, fail) => {
        let text = '';
        res.on('data', (d: Buffer) => { text += d.toString(); });
        res.on('end', () => { try { done({ status: res.statusCode ?? 0, body: JSON.parse(text) }); } catch (e) { fail(e as Error); } });
        res.on('error', fail);
      });
      resolve({ result });
    });
    req.on('error', reject);
    req.end();
  });
}

test('wait: every condition ends when the container is removed, with its last exit code', { timeout: 180_000 }, async () => {
  // A container that never ran: next-exit and removed both end with its removal.
  await ok(['create', '--name', 'lc-wait-new', 'busybox', 'true']);
  const nextExit = await waitFor('lc-wait-new', 'next-exit');
  const removed = await waitFor('lc-wait-new', 'removed');
  await ok(['rm', 'lc-wait-new']);
  assert.deepEqual(await nextExit.result, { status: 200, body: { StatusCode: 0 } });
  assert.deepEqual(await removed.result, { status: 200, body: { StatusCode: 0 } });

  // Waits started before `rm -f` of a running container report the kill.
  await ok(['run', '-d', '--name', 'lc-wait-run', 'busybox', 'sleep', '600']);
  const waits = await Promise.all(['not-running', 'next-exit', 'removed'].map((c) => waitFor('lc-wait-run', c)));
  await ok(['rm', '-f', 'lc-wait-run']);
  for (const w of waits) assert.deepEqual(await w.result, { status: 200, body: { StatusCode: 137 } });

  // After the removal there is nothing to wait on.
  const gone = await api('POST', '/v1.47/containers/lc-wait-run/wait');
  assert.equal(gone.status, 404);
  assert.deepEqual(gone.json(), { message: 'No such container: lc-wait-run' });
});

test('exec of a missing binary exits 127, of a file that is not executable 126, with dockerd\'s message', async () => {
  await ok(['run', '-d', '--name', 'lc-exec', 'busybox', 'sleep', '600']);
  const missing = await h.docker(['exec', 'lc-exec', 'nosuch']);
  assert.equal(missing.code, 127, missing.stderr);
  assert.equal(missing.stdout, 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in $PATH: unknown\r\n');
  const denied = await h.docker(['exec', 'lc-exec', '/etc/passwd']);
  assert.equal(denied.code, 126);
  assert.match(denied.stdout, /^OCI runtime exec failed: .*"\/etc\/passwd": permission denied: unknown\r\n$/);
  const tty = await h.docker(['exec', '-t', 'lc-exec', 'nosuch']);
  assert.equal(tty.code, 127);
  // A command of its own exiting 255 is not mistaken for a failure to start.
  const own = await h.docker(['exec', 'lc-exec', 'sh', '-c', 'echo out; exit 255']);
  assert.equal(own.code, 255);
  assert.equal(own.stdout, 'out\n');

  const exec = await h.dockerode.getContainer('lc-exec').exec({ Cmd: ['/nowhere/x'], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  stream.resume();
  await new Promise((r) => stream.once('end', r));
  const info = await exec.inspect();
  assert.equal(info.Running, false);
  assert.equal(info.ExitCode, 127);

  // Detached, the failure is the answer to the start.
  const detached = await h.docker(['exec', '-d', 'lc-exec', 'nosuch']);
  assert.notEqual(detached.code, 0);
  assert.match(detached.stderr, /OCI runtime exec failed: .*executable file not found in \$PATH: unknown/);
});

test('GroupAdd: gids and names from the container\'s /etc/group, for the container and its execs', async () => {
  const run = await ok(['run', '--rm', '--group-add', '1234', '--group-add', 'staff', 'busybox', 'id', '-G']);
  assert.equal(run.trim(), '0 10 50 1234');
  await ok(['run', '-d', '--name', 'lc-groups', '--group-add', '1234', '--group-add', 'staff', 'busybox', 'sleep', '600']);
  assert.equal((await ok(['exec', '-u', 'nobody', 'lc-groups', 'id', '-G'])).trim(), '65534 50 1234');
  assert.deepEqual((await h.dockerode.getContainer('lc-groups').inspect()).HostConfig.GroupAdd, ['1234', 'staff']);
  const missing = await h.docker(['run', '--rm', '--group-add', 'nosuchgroup', 'busybox', 'true']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /Unable to find group nosuchgroup: no matching entries in group file/);
  await ok(['rm', '-f', 'lc-groups']);
});

test('legacy links: the child\'s address, ports, name and env as variables; rm --link drops them', async () => {
  await ok(['run', '-d', '--name', 'lc-db', '-e', 'FOO=bar', '-e', 'MULTI=a=b', '--expose', '80', '--expose', '53/udp', 'busybox', 'sleep', '600']);
  const ip = (await ok(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'lc-db'])).trim();
  assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
  await ok(['create', '--name', 'lc-app', '--link', 'lc-db:my-db', 'busybox', 'env']);
  await ok(['start', '-a', 'lc-app']);
  const env = (await ok(['logs', 'lc-app'])).trim().split('\n').filter((l) => l.startsWith('MY_DB_')).sort();
  assert.deepEqual(env, [
    'MY_DB_ENV_FOO=bar',
    'MY_DB_ENV_MULTI=a=b',
    'MY_DB_NAME=/lc-app/my-db',
    `MY_DB_PORT=udp://${ip}:53`,
    `MY_DB_PORT_53_UDP=udp://${ip}:53`,
    `MY_DB_PORT_53_UDP_ADDR=${ip}`,
    'MY_DB_PORT_53_UDP_PORT=53',
    'MY_DB_PORT_53_UDP_PROTO=udp',
    `MY_DB_PORT_80_TCP=tcp://${ip}:80`,
    `MY_DB_PORT_80_TCP_ADDR=${ip}`,
    'MY_DB_PORT_80_TCP_PORT=80',
    'MY_DB_PORT_80_TCP_PROTO=tcp',
  ]);
  // The variables are the runtime's: the container's own Config.Env does not list them.
  const info = await h.dockerode.getContainer('lc-app').inspect();
  assert.equal(info.Config.Env.some((e: string) => e.startsWith('MY_DB_')), false);

  const linked = await api('DELETE', '/v1.47/containers/lc-app/my-db?link=1');
  assert.equal(linked.status, 204);
  await ok(['start', '-a', 'lc-app']);
  const names = (await ok(['logs', 'lc-app'])).split('\n').filter((l) => l.startsWith('MY_DB_NAME='));
  assert.deepEqual(names, ['MY_DB_NAME=/lc-app/my-db'], 'only the run before the link went had it');

  // A child that is not running fails the parent's start, as with dockerd.
  await ok(['create', '--name', 'lc-app2', '--link', 'lc-db', 'busybox', 'true']);
  await ok(['stop', '-t', '0', 'lc-db']);
  const start = await h.docker(['start', 'lc-app2']);
  assert.notEqual(start.code, 0);
  assert.match(start.stderr, /Cannot link to a non running container: \/lc-db AS \/lc-app2\/lc-db/);
  await ok(['rm', 'lc-app', 'lc-app2', 'lc-db']);
});

/** Write `input` into a hijacked exec once it is running; resolves when the server ends the stream. */
async function execUntilEnd(stream: Duplex, input: string): Promise<string> {
  let out = '';
  stream.on('data', (d: Buffer) => { out += d.toString('latin1'); });
  await eventually(() => out.includes('# '), `the shell's prompt (got ${JSON.stringify(out)})`, 60_000);
  stream.write(input);
  await new Promise((r) => { stream.once('end', r); stream.once('close', r); });
  return out;
}

test('exec detach keys: ctrl-p ctrl-q (or the exec\'s DetachKeys) end the attach and leave the process running', { timeout: 180_000 }, async () => {
  await ok(['run', '-d', '--name', 'lc-detach', 'busybox', 'sleep', '600']);
  const c = h.dockerode.getContainer('lc-detach');
  const shell = await c.exec({ Cmd: ['sh'], AttachStdin: true, AttachStdout: true, Tty: true });
  await execUntilEnd(await shell.start({ hijack: true, stdin: true, Tty: true }), 'echo one\r\x10\x11');
  assert.equal((await shell.inspect()).Running, true, 'the shell runs on after the detach');

  const custom = await c.exec({ Cmd: ['sh'], AttachStdin: true, AttachStdout: true, Tty: true, DetachKeys: 'ctrl-a,a' });
  assert.equal((await custom.inspect()).DetachKeys as unknown, 'AWE=');
  const out = await execUntilEnd(await custom.start({ hijack: true, stdin: true, Tty: true }), 'echo two\r\x01a');
  assert.equal((await custom.inspect()).Running, true);
  assert.ok(!out.includes('\x01'), 'the detach keys are not passed to the process');
  const top = await c.top();
  assert.equal(top.Processes.filter((p: string[]) => p[p.length - 1] === 'sh').length, 2, 'both shells still run');

  const bad = await api('POST', '/v1.47/containers/lc-detach/exec', { Cmd: ['sh'], DetachKeys: 'ctrl-zz' });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json(), { message: 'Invalid escape keys (ctrl-zz) provided' });
  await ok(['rm', '-f', 'lc-detach']);
});

test('attach without a TTY passes the detach keys through as input, as dockerd does', async () => {
  await ok(['run', '-d', '-i', '--name', 'lc-cat', 'busybox', 'cat']);
  const c = h.dockerode.getContainer('lc-cat');
  const stream = await c.attach({ stream: true, stdin: true, stdout: true, hijack: true });
  let out = '';
  stream.on('data', (d: Buffer) => { out += d.toString('latin1'); });
  stream.write('a\x10\x11b\n');
  await eventually(() => out.includes('a\x10\x11b\n'), `cat to echo the keys (got ${JSON.stringify(out)})`, 30_000);
  (stream as Duplex).destroy();
  await ok(['rm', '-f', 'lc-cat']);
});

test('a committed image names its Parent', async () => {
  await ok(['run', '--name', 'lc-commit', 'busybox', 'sh', '-c', 'echo x > /f']);
  await ok(['commit', 'lc-commit', 'lc/committed:1']);
  const base = (await ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox'])).trim();
  assert.equal((await ok(['image', 'inspect', '-f', '{{.Parent}}', 'lc/committed:1'])).trim(), base);
  const img = await h.dockerode.getImage('lc/committed:1').inspect();
  assert.equal(img.Parent, base);
  await ok(['rm', 'lc-commit']);
  await ok(['rmi', 'lc/committed:1']);
});

test('commit --pause of a container whose process is exiting commits what it left, then the exit is recorded', async () => {
  await ok(['run', '-d', '--name', 'lc-exiting', 'busybox', 'sh', '-c', 'echo kept > /kept; exec sleep 600']);
  const info = await h.dockerode.getContainer('lc-exiting').inspect();
  await eventually(async () => (await h.docker(['exec', 'lc-exiting', 'cat', '/kept'])).stdout === 'kept\n', 'the file');
  // The container's monitor is held still, so its process is gone but its exit not yet reported.
  const conmon = Number((await readFile(join(h.config.runRoot, 'tasks', info.Id, 'conmon.pid'), 'utf8')).trim());
  process.kill(conmon, 'SIGSTOP');
  try {
    process.kill(info.State.Pid, 'SIGKILL');
    const r = await api('POST', '/v1.47/commit?container=lc-exiting&repo=lc/exiting&tag=1&pause=1');
    assert.equal(r.status, 201, r.text);
  } finally {
    process.kill(conmon, 'SIGCONT');
  }
  await eventually(async () => (await ok(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'lc-exiting'])).trim() === 'exited 137', 'the exit to be recorded', 60_000);
  assert.equal((await ok(['run', '--rm', 'lc/exiting:1', 'cat', '/kept'])).trim(), 'kept');
  await ok(['rm', 'lc-exiting']);
  await ok(['rmi', 'lc/exiting:1']);
});

test('real-time CPU: a runtime above the period is refused naming it; the fields are reported as given', async () => {
  const bad = await api('POST', '/v1.47/containers/create?name=lc-rt', { Image: 'busybox', HostConfig: { CpuRealtimePeriod: 1000, CpuRealtimeRuntime: 2000 } });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json(), { message: 'cpu real-time runtime cannot be higher than cpu real-time period', field: 'HostConfig.CpuRealtimeRuntime' });
  const negative = await api('POST', '/v1.47/containers/create?name=lc-rt', { Image: 'busybox', HostConfig: { CpuRealtimePeriod: -1 } });
  assert.equal(negative.status, 400);
  await ok(['create', '--name', 'lc-rt', '--cpu-rt-period', '1000000', '--cpu-rt-runtime', '95000', 'busybox', 'true']);
  assert.equal((await ok(['inspect', '-f', '{{.HostConfig.CpuRealtimePeriod}} {{.HostConfig.CpuRealtimeRuntime}}', 'lc-rt'])).trim(), '1000000 95000');
  await ok(['rm', 'lc-rt']);
});
