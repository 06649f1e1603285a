import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../server/protocol/index.ts';
import { startDashboard, type DashboardHarness } from './dashboard-harness.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const PASSWORD = 'admin password 123';
let h: DashboardHarness;
let admin: string;
let operator: string;
let viewer: string;
let hostDir: string;

before(async () => {
  h = await startDashboard('dash-docker', { adminPassword: PASSWORD });
  hostDir = await mkdtemp(join(tmpdir(), 'wharf-test-dash-bind-'));
  admin = await h.login('admin', PASSWORD);
  for (const [username, role] of [['op', 'operator'], ['viewer', 'readonly']]) {
    const r = await h.request('POST', '/api/users', { cookie: admin, body: { username, password: PASSWORD, role } });
    assert.equal(r.status, 201, r.text);
  }
  operator = await h.login('op', PASSWORD);
  viewer = await h.login('viewer', PASSWORD);
});
after(async () => {
  const left = await h.close();
  await rm(hostDir, { recursive: true, force: true });
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const docker = (path: string) => `/api/environments/local/docker${path}`;
const names = async () => (await h.api.dockerode.listContainers({ all: true })).map((c) => c.Names[0]!.replace(/^\//, '')).sort();

async function create(cookie: string, name: string, body: object): Promise<string> {
  const r = await h.request('POST', docker(`/containers/create?name=${name}`), { cookie, body: { Image: 'busybox', ...body } });
  assert.equal(r.status, 201, r.text);
  return r.json().Id;
}

async function run(name: string, script: string): Promise<string> {
  const id = await create(admin, name, { Cmd: ['sh', '-c', script] });
  const started = await h.request('POST', docker(`/containers/${id}/start`), { cookie: admin });
  assert.equal(started.status, 204, started.text);
  return id;
}

test('readonly users can list but not create', async () => {
  const list = await h.request('GET', docker('/containers/json?all=1'), { cookie: viewer });
  assert.equal(list.status, 200);
  assert.ok(Array.isArray(list.json()));
  const refused = await h.request('POST', docker('/containers/create'), { cookie: viewer, body: { Image: 'busybox' } });
  assert.equal(refused.status, 403);
  assert.match(refused.json().message, /readonly/);
  assert.deepEqual(await names(), []);
});

test('operators create plain containers but nothing that reaches the host', async () => {
  await create(operator, 'dash-op-plain', { Cmd: ['true'], HostConfig: { Binds: ['data:/data'], Mounts: [{ Type: 'tmpfs', Target: '/tmp' }] } });
  const refusals: Array<[object, string]> = [
    [{ HostConfig: { Binds: [`${hostDir}:/host`] } }, 'HostConfig.Binds[0]'],
    [{ HostConfig: { Binds: ['data:/data', '/etc:/etc:ro'] } }, 'HostConfig.Binds[1]'],
    [{ HostConfig: { Mounts: [{ Type: 'bind', Source: hostDir, Target: '/host' }] } }, 'HostConfig.Mounts[0]'],
    [{ HostConfig: { Mounts: [{ Type: 'volume', Source: '/etc', Target: '/host' }] } }, 'HostConfig.Mounts[0].Source'],
    [{ HostConfig: { Privileged: true } }, 'HostConfig.Privileged'],
    [{ HostConfig: { NetworkMode: 'host' } }, 'HostConfig.NetworkMode'],
    [{ HostConfig: { PidMode: 'host' } }, 'HostConfig.PidMode'],
    [{ HostConfig: { CapAdd: ['SYS_ADMIN'] } }, 'HostConfig.CapAdd'],
    [{ HostConfig: { Devices: [{ PathOnHost: '/dev/kmsg', PathInContainer: '/dev/kmsg', CgroupPermissions: 'r' }] } }, 'HostConfig.Devices'],
    [{ HostConfig: { SecurityOpt: ['seccomp=unconfined'] } }, 'HostConfig.SecurityOpt[0]'],
  ];
  for (const [body, field] of refusals) {
    const r = await h.request('POST', docker('/containers/create?name=dash-op-bad'), { cookie: operator, body: { Image: 'busybox', ...body } });
    assert.equal(r.status, 403, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json().field, field);
    assert.match(r.json().message, new RegExp(`^operators cannot use .* \\(${field.replace(/[[\].]/g, '\\$&')}\\)$`));
  }
  const bind = await h.request('POST', docker('/containers/create'), { cookie: operator, body: { Image: 'busybox', HostConfig: { Binds: ['/:/host'] } } });
  assert.deepEqual(bind.json(), { message: 'operators cannot use bind mounts (HostConfig.Binds[0])', field: 'HostConfig.Binds[0]' });
  // Path and key spellings: dashboard-policy.test.ts.
  const update = await h.request('POST', docker('/containers/dash-op-plain/update'), { cookie: operator, body: { Devices: [{ PathOnHost: '/dev/mem' }] } });
  assert.equal(update.status, 403);
  assert.equal(update.json().field, 'Devices');
  assert.deepEqual(await names(), ['dash-op-plain']);
});

test('admins may bind-mount host paths', async () => {
  await create(admin, 'dash-admin-bind', { Cmd: ['true'], HostConfig: { Binds: [`${hostDir}:/host:ro`], Privileged: true } });
  assert.deepEqual(await names(), ['dash-admin-bind', 'dash-op-plain']);
});

test('the proxy streams: followed logs arrive while the container still runs', async () => {
  const id = await run('dash-stream', "trap 'echo second; exit 0' TERM; echo first; while true; do sleep 0.1; done");
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(`${h.url}${docker(`/containers/${id}/logs?follow=1&stdout=1&stderr=1`)}`, { headers: { cookie: admin } }, resolve).on('error', reject);
  });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/vnd.docker.multiplexed-stream');
  assert.equal(res.headers['set-cookie'], undefined);
  let seen = '';
  let killed = false;
  for await (const chunk of res) {
    seen += (chunk as Buffer).toString('latin1');
    // `second` is printed only once we react to `first`: the stream is live, not buffered.
    if (!killed && seen.includes('first\n')) {
      killed = true;
      const kill = await h.request('POST', docker(`/containers/${id}/kill?signal=TERM`), { cookie: admin });
      assert.equal(kill.status, 204, kill.text);
    }
  }
  assert.ok(killed);
  assert.match(seen, /first\n[\s\S]*second\n/);
});

function connect(opts: { cookie?: string; origin?: string } = {}): Promise<Client> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.origin) headers.origin = opts.origin;
  const socket: Client = io(h.url, { transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => { socket.close(); reject(err); });
  });
}

function ok(res: Ack): string {
  assert.equal(res.ok, true, JSON.stringify(res));
  return (res as { id: string }).id;
}

test('socket.io needs a session and our own origin', async () => {
  await assert.rejects(connect(), { message: 'unauthorized' });
  await assert.rejects(connect({ cookie: 'wharf_session=forged' }), { message: 'unauthorized' });
  await assert.rejects(connect({ cookie: admin, origin: 'http://evil.example' }), { message: 'unauthorized' });
  const socket = await connect({ cookie: admin, origin: h.url });
  socket.close();
});

test('logs:subscribe follows a running container and ends when it exits', async () => {
  const id = await run('dash-logs', "trap 'exit 0' TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done");
  const socket = await connect({ cookie: viewer });
  try {
    const lines: Array<{ stream: string; time: string; text: string }> = [];
    let sub = '';
    const gotLine = new Promise<void>((resolve) => socket.on('logs:chunk', (msg) => {
      assert.equal(msg.id, sub);
      lines.push(...msg.lines);
      if (lines.some((l) => /^tick \d+$/.test(l.text))) resolve();
    }));
    const ended = new Promise<string>((resolve) => socket.on('logs:end', (msg) => resolve(msg.id)));
    sub = ok(await socket.emitWithAck('logs:subscribe', { env: 'local', container: id, tail: 0 }));
    await gotLine;
    const line = lines.find((l) => l.text.startsWith('tick'))!;
    assert.equal(line.stream, 'stdout');
    assert.ok(!Number.isNaN(Date.parse(line.time)), line.time);
    await h.request('POST', docker(`/containers/${id}/kill?signal=TERM`), { cookie: admin });
    assert.equal(await ended, sub);

    const missing = await socket.emitWithAck('logs:subscribe', { env: 'local', container: 'no-such-container' });
    assert.equal(missing.ok, false);
    const badEnv = await socket.emitWithAck('logs:subscribe', { env: 'nope', container: id });
    assert.deepEqual(badEnv, { ok: false, message: 'no such environment: nope' });
  } finally {
    socket.close();
  }
});

test('exec:start runs a command on a TTY and reports its exit code', async () => {
  const id = await run('dash-exec', "trap 'exit 0' TERM; while true; do sleep 0.1; done");
  const socket = await connect({ cookie: operator });
  try {
    const output = new Map<string, string>();
    const exits = new Map<string, (msg: { exitCode: number | null; reason: string }) => void>();
    socket.on('exec:data', ({ id: sid, data }) => output.set(sid, (output.get(sid) ?? '') + data));
    socket.on('exec:exit', (msg) => exits.get(msg.id)?.(msg));
    const exited = (sid: string) => new Promise<{ exitCode: number | null; reason: string }>((resolve) => exits.set(sid, resolve));

    const one = ok(await socket.emitWithAck('exec:start', { env: 'local', container: id, cmd: ['sh', '-c', 'echo $((6*7))'], cols: 80, rows: 24 }));
    const first = await exited(one);
    assert.match(output.get(one) ?? '', /42/);
    assert.equal(first.exitCode, 0);
    assert.match(first.reason, /exited with code 0/);

    // An interactive shell: input goes in, the exit code comes back.
    const two = ok(await socket.emitWithAck('exec:start', { env: 'local', container: id, cmd: ['sh'], cols: 100, rows: 30 }));
    const second = exited(two);
    ok(await socket.emitWithAck('exec:resize', { id: two, cols: 120, rows: 40 }));
    ok(await socket.emitWithAck('exec:input', { id: two, data: 'echo $((6*7))x; exit 3\n' }));
    assert.equal((await second).exitCode, 3);
    assert.match(output.get(two) ?? '', /42x/);

    // Closed by the client: the exit says so, with no exit code.
    const three = ok(await socket.emitWithAck('exec:start', { env: 'local', container: id, cmd: ['sh'], cols: 80, rows: 24 }));
    const third = exited(three);
    ok(await socket.emitWithAck('exec:close', { id: three }));
    assert.deepEqual(await third, { id: three, exitCode: null, reason: 'closed by the client' });
  } finally {
    socket.close();
  }
  const reader = await connect({ cookie: viewer });
  try {
    const refused = await reader.emitWithAck('exec:start', { env: 'local', container: id, cmd: ['sh'], cols: 80, rows: 24 });
    assert.equal(refused.ok, false);
  } finally {
    reader.close();
  }
  // A console in a container the operator could not have created is refused too.
  const privileged = await create(admin, 'dash-exec-priv', { Cmd: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 0.1; done"], HostConfig: { Privileged: true } });
  assert.equal((await h.request('POST', docker(`/containers/${privileged}/start`), { cookie: admin })).status, 204);
  const op = await connect({ cookie: operator });
  try {
    const refused = await op.emitWithAck('exec:start', { env: 'local', container: privileged, cmd: ['sh'], cols: 80, rows: 24 });
    assert.deepEqual(refused, { ok: false, message: `operators cannot use a container with privileged mode (container ${privileged}: HostConfig.Privileged)` });
  } finally {
    op.close();
  }
  await h.request('POST', docker(`/containers/${privileged}/kill`), { cookie: admin });
});

test('stats:subscribe sends samples computed as docker stats does', async () => {
  const id = await run('dash-stats', "trap 'exit 0' TERM; while true; do sleep 0.1; done");
  const socket = await connect({ cookie: viewer });
  try {
    let sub = '';
    const sample = new Promise<Parameters<ServerToClientEvents['stats:sample']>[0]>((resolve) => socket.once('stats:sample', resolve));
    sub = ok(await socket.emitWithAck('stats:subscribe', { env: 'local', container: id }));
    const s = await sample;
    assert.equal(s.id, sub);
    assert.ok(s.memLimit > 0, JSON.stringify(s));
    assert.ok(s.memUsage >= 0 && s.memPercent >= 0 && s.cpuPercent >= 0, JSON.stringify(s));
    assert.ok(s.pids >= 1, JSON.stringify(s));
    ok(await socket.emitWithAck('stats:unsubscribe', { id: sub }));
    const again = await socket.emitWithAck('stats:unsubscribe', { id: sub });
    assert.equal(again.ok, false);
  } finally {
    socket.close();
  }
});

test('events:subscribe receives the start of a container', async () => {
  const socket = await connect({ cookie: viewer });
  try {
    let id = '';
    const events: Array<{ Type: string; Action: string; Actor: { ID: string } }> = [];
    let onEvent = () => undefined as void;
    socket.on('events:event', (msg) => { events.push(msg.event); onEvent(); });
    ok(await socket.emitWithAck('events:subscribe', { env: 'local', filters: { type: ['container'], event: ['start'] } }));
    const started = new Promise<void>((resolve) => { onEvent = () => { if (events.some((e) => e.Actor.ID === id)) resolve(); }; });
    id = await run('dash-events', 'true');
    await started;
    const start = events.find((e) => e.Actor.ID === id)!;
    assert.equal(start.Type, 'container');
    assert.equal(start.Action, 'start');
    assert.ok(events.every((e) => e.Action === 'start'), 'the filters went to the engine');
  } finally {
    socket.close();
  }
});

test('signing out disconnects the sockets of that session', async () => {
  const cookie = await h.login('viewer', PASSWORD);
  const socket = await connect({ cookie });
  const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
  assert.equal((await h.request('POST', '/api/auth/logout', { cookie })).status, 204);
  assert.equal(await gone, 'io server disconnect');
  await assert.rejects(connect({ cookie }), { message: 'unauthorized' });
});
