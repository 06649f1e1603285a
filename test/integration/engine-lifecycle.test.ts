import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestEngine, collect, eventually, typeUntil, type TestEngine } from '../helpers/engine.ts';
import type { EngineEvent } from '../../runtime/index.ts';

let t: TestEngine;
const events: EngineEvent[] = [];

before(async () => {
  t = await startTestEngine('life');
  t.engine.events.subscribe((e) => events.push(e));
});

after(async () => {
  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] }, 'the test run left nothing behind');
});

async function run(cmd: string[], extra: Record<string, unknown> = {}, hostConfig: Record<string, unknown> = {}): Promise<{ id: string; code: number; out: string }> {
  const c = await t.engine.containers.create({ config: { Image: 'busybox', Cmd: cmd, ...extra }, hostConfig });
  const waited = t.engine.containers.wait(c.id, 'next-exit');
  await t.engine.containers.start(c.id);
  const { StatusCode } = await waited;
  return { id: c.id, code: StatusCode, out: await collect(t.engine.containers.logs(c.id, {})) };
}

test('busybox:latest is created from the host busybox-static', async () => {
  const img = t.engine.images.resolve('busybox');
  assert.ok(img.id.startsWith('sha256:'));
  assert.deepEqual(t.engine.images.repoTags(img.id), ['busybox:latest']);
  const cfg = await t.engine.images.config(img.id);
  assert.deepEqual(cfg.config?.Cmd, ['sh']);
});

test('echo hello logs hello and exits 0', async () => {
  const r = await run(['echo', 'hello']);
  assert.equal(r.code, 0);
  assert.equal(r.out, 'hello\n');
  const row = t.engine.containers.get(r.id);
  assert.equal(row.state.Status, 'exited');
  assert.equal(row.state.ExitCode, 0);
  assert.notEqual(row.state.FinishedAt, '0001-01-01T00:00:00Z');
  const die = events.find((e) => e.Action === 'die' && e.Actor.ID === r.id);
  assert.equal(die?.Actor.Attributes.exitCode, '0');
});

test("sh -c 'exit 7' exits 7", async () => {
  const r = await run(['sh', '-c', 'exit 7']);
  assert.equal(r.code, 7);
  assert.equal(t.engine.containers.get(r.id).state.ExitCode, 7);
});

test('stdout and stderr are kept apart and bytes are exact', async () => {
  const r = await run(['sh', '-c', 'printf "a\\r\\nno-newline"; echo err >&2']);
  const out = await collect(t.engine.containers.logs(r.id, { stderr: false }));
  const err = await collect(t.engine.containers.logs(r.id, { stdout: false }));
  assert.equal(out, 'a\r\nno-newline');
  assert.equal(err, 'err\n');
});

test('env, user, working dir and hostname reach the process', async () => {
  const r = await run(['sh', '-c', 'echo "$FOO $(id -u):$(id -g) $(pwd) $(hostname)"'], { Env: ['FOO=bar'], User: 'nobody', WorkingDir: '/tmp', Hostname: 'box1' });
  assert.equal(r.out, 'bar 65534:65534 /tmp box1\n');
});

test('a sleep 1000 container stops within its grace period', async () => {
  const c = await t.engine.containers.create({ config: { Image: 'busybox', Cmd: ['sleep', '1000'] } });
  await t.engine.containers.start(c.id);
  assert.equal(t.engine.containers.get(c.id).state.Status, 'running');
  // PID 1 ignores SIGTERM without a handler, so this takes the grace period and then SIGKILL.
  await t.engine.containers.stop(c.id, 1);
  const s = t.engine.containers.get(c.id).state;
  assert.equal(s.Status, 'exited');
  assert.equal(s.ExitCode, 137);
  const kinds = events.filter((e) => e.Actor.ID === c.id).map((e) => e.Action);
  assert.deepEqual(kinds.filter((k) => ['create', 'start', 'kill', 'die', 'stop'].includes(k)), ['create', 'start', 'kill', 'die', 'stop']);
});

test('a container that handles SIGTERM exits with its own code', async () => {
  const c = await t.engine.containers.create({ config: { Image: 'busybox', Cmd: ['sh', '-c', 'trap "exit 3" TERM; while true; do sleep 0.1; done'] } });
  await t.engine.containers.start(c.id);
  await new Promise((r) => setTimeout(r, 300));
  await t.engine.containers.stop(c.id, 30);
  assert.equal(t.engine.containers.get(c.id).state.ExitCode, 3);
});

test('kill sends any signal; pause and unpause freeze and thaw', async () => {
  const c = await t.engine.containers.create({ config: { Image: 'busybox', Cmd: ['sh', '-c', 'trap "echo got-usr1" USR1; while true; do sleep 0.1; done'] } });
  await t.engine.containers.start(c.id);
  await t.engine.containers.pause(c.id);
  assert.equal(t.engine.containers.get(c.id).state.Status, 'paused');
  const freezer = await readFile(join('/sys/fs/cgroup/freezer', t.config.cgroupParent, c.id, 'freezer.state'), 'utf8');
  assert.equal(freezer.trim(), 'FROZEN');
  await assert.rejects(t.engine.containers.pause(c.id), /already paused/);
  await t.engine.containers.unpause(c.id);
  assert.equal(t.engine.containers.get(c.id).state.Status, 'running');
  await new Promise((r) => setTimeout(r, 200));
  await t.engine.containers.kill(c.id, 'USR1');
  await eventually(async () => (await collect(t.engine.containers.logs(c.id, {}))).includes('got-usr1'), 'USR1 handled');
  const waited = t.engine.containers.wait(c.id);
  await t.engine.containers.kill(c.id);
  assert.equal((await waited).StatusCode, 137);
  assert.ok(events.some((e) => e.Action === 'pause' && e.Actor.ID === c.id));
  assert.ok(events.some((e) => e.Action === 'unpause' && e.Actor.ID === c.id));
});

test('restart runs the container again; on-failure restarts up to its limit', async () => {
  const c = await t.engine.containers.create({ config: { Image: 'busybox', Cmd: ['sh', '-c', 'echo run; exit 1'] }, hostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } } });
  await t.engine.containers.start(c.id);
  await eventually(() => {
    const r = t.engine.containers.get(c.id);
    return r.record.RestartCount === 2 && r.state.Status === 'exited';
  }, 'two restarts', 20_000);
  assert.equal(await collect(t.engine.containers.logs(c.id, {})), 'run\nrun\nrun\n');
  await t.engine.containers.restart(c.id, 1);
  await eventually(() => t.engine.containers.get(c.id).state.Status === 'exited', 'exit after restart', 20_000);
});

test('rename, and names resolve with or without the slash and by id prefix', async () => {
  const c = await t.engine.containers.create({ name: 'life-a', config: { Image: 'busybox', Cmd: ['true'] } });
  await assert.rejects(t.engine.containers.create({ name: 'life-a', config: { Image: 'busybox' } }), /is already in use/);
  await t.engine.containers.rename('/life-a', 'life-b');
  assert.equal(t.engine.containers.get('life-b').id, c.id);
  assert.equal(t.engine.containers.get(c.id.slice(0, 10)).name, 'life-b');
  assert.throws(() => t.engine.containers.get('life-a'), /No such container: life-a/);
  assert.equal(events.find((e) => e.Action === 'rename' && e.Actor.ID === c.id)?.Actor.Attributes.oldName, '/life-a');
});

test('exec with and without a TTY, with exit codes and resize', async () => {
  const c = await t.engine.containers.create({ config: { Image: 'busybox', Cmd: ['sleep', '1000'] } });
  await t.engine.containers.start(c.id);
  const plain = t.engine.containers.createExec(c.id, { Cmd: ['sh', '-c', 'echo out; echo err >&2; exit 5'], AttachStdout: true, AttachStderr: true });
  const s1 = await t.engine.containers.exec.start(plain.ID);
  const [out, err, code] = await Promise.all([text(s1.stdout), text(s1.stderr!), s1.exited]);
  assert.deepEqual([out, err, code], ['out\n', 'err\n', 5]);
  assert.equal(t.engine.containers.exec.get(plain.ID).ExitCode, 5);

  const tty = t.engine.containers.createExec(c.id, { Cmd: ['sh'], Tty: true, AttachStdin: true, AttachStdout: true });
  const s2 = await t.engine.containers.exec.start(tty.ID, { height: 30, width: 100 });
  let screen = '';
  s2.stdout.on('data', (d: Buffer) => { screen += d.toString(); });
  await typeUntil((line) => s2.stdin!.write(line), 'stty size; tty\n', () => screen.includes('30 100') && screen.includes('/dev/pts/'), 'tty size 30x100');
  s2.resize(40, 120);
  await typeUntil((line) => s2.stdin!.write(line), 'stty size\n', () => screen.includes('40 120'), 'tty size 40x120');
  let exitCode: number | undefined;
  void s2.exited.then((code) => { exitCode = code; });
  await typeUntil((line) => s2.stdin!.write(line), 'exit 4\n', () => exitCode !== undefined, 'the shell to exit');
  assert.equal(exitCode, 4);
  await t.engine.containers.stop(c.id, 0);
});

test('remove leaves no mount, runc container or conmon process', async () => {
  const c = await t.engine.containers.create({ config: { Image: 'busybox', Cmd: ['sleep', '1000'] } });
  await t.engine.containers.start(c.id);
  await assert.rejects(t.engine.containers.remove(c.id), /cannot remove a running container/);
  await t.engine.containers.remove(c.id, { force: true });
  assert.equal(t.engine.containers.find(c.id), undefined);
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  assert.ok(!mountinfo.includes(c.id), 'no mount of the container');
  assert.equal(await t.engine.containers.list().length >= 0, true);
  const { execFileSync } = await import('node:child_process');
  const runc = execFileSync('runc', ['--root', join(t.config.runRoot, 'runc'), 'list', '-q']).toString();
  assert.ok(!runc.includes(c.id), 'runc forgot the container');
  assert.ok(events.some((e) => e.Action === 'destroy' && e.Actor.ID === c.id));
});

test('an exit leaves no cgroup; a host-pid container\'s leftover process dies with it', async () => {
  const cgroupsOf = async (id: string): Promise<string[]> => {
    const { execFileSync } = await import('node:child_process');
    return execFileSync('find', ['/sys/fs/cgroup', '-maxdepth', '3', '-type', 'd', '-name', id]).toString().split('\n').filter(Boolean);
  };
  // Its own pid namespace: everything ends with init, and the engine removes the cgroups itself.
  const plain = await run(['true']);
  assert.deepEqual(await cgroupsOf(plain.id), []);
  // The host's pid namespace: the background sleep outlives init inside the container's
  // cgroup, and teardown must kill it before the cgroup can go.
  const straggler = await run(['sh', '-c', 'sleep 1000 & echo $!'], {}, { PidMode: 'host' });
  assert.deepEqual(await cgroupsOf(straggler.id), [], 'no cgroup of the container is left');
  const pid = Number(straggler.out.trim());
  assert.ok(pid > 1, straggler.out);
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  assert.notEqual(cmdline.split('\0')[0], 'sleep', 'the leftover sleep was killed');
});

async function text(r: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts).toString();
}
