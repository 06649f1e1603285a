import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import Docker from 'dockerode';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

let h: ApiHarness;
before(async () => { h = await startApiServer('ctr-api'); });
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

function raw(method: string, path: string, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method, path, headers: body !== undefined ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const message = (r: Reply): string => (JSON.parse(r.body) as { message: string }).message;
const create = (body: object, query = ''): Promise<Reply> => raw('POST', `/v1.47/containers/create${query}`, JSON.stringify(body));
const count = async (): Promise<number> => (JSON.parse((await raw('GET', '/v1.47/containers/json?all=1')).body) as unknown[]).length;

test('an unknown container is a 404 with Docker\'s message', async () => {
  for (const [method, path] of [['GET', '/containers/ghost/json'], ['POST', '/containers/ghost/start'], ['DELETE', '/containers/ghost'], ['GET', '/containers/ghost/logs?stdout=1']] as const) {
    const r = await raw(method, `/v1.47${path}`);
    assert.equal(r.status, 404, `${method} ${path}`);
    assert.equal(message(r), 'No such container: ghost');
  }
  const img = await create({ Image: 'nosuchimage:1' });
  assert.equal(img.status, 404);
  assert.equal(message(img), 'No such image: nosuchimage:1');
});

test('create answers 201 with the id; a taken name is a 409', async () => {
  const r = await create({ Image: 'busybox', Cmd: ['true'] }, '?name=taken');
  assert.equal(r.status, 201);
  const { Id, Warnings } = JSON.parse(r.body) as { Id: string; Warnings: string[] };
  assert.match(Id, /^[0-9a-f]{64}$/);
  assert.deepEqual(Warnings, []);
  const again = await create({ Image: 'busybox', Cmd: ['true'] }, '?name=taken');
  assert.equal(again.status, 409);
  assert.equal(message(again), `Conflict. The container name "/taken" is already in use by container "${Id}". You have to remove (or rename) that container to be able to reuse that name.`);
  assert.equal((await raw('DELETE', '/v1.47/containers/taken')).status, 204);
});

test('bad create bodies are 400s naming the field, and create nothing', async () => {
  const before = await count();
  const bad = await raw('POST', '/v1.47/containers/create', '{"Image": "busybox",');
  assert.equal(bad.status, 400);
  assert.match(message(bad), /invalid JSON/);
  const cases: [object, RegExp][] = [
    [{ Image: 'busybox', Cmd: 3 }, /Cmd/],
    [{ Image: 'busybox', Env: 'A=1' }, /Env/],
    [{ Image: 'busybox', HostConfig: { Memory: 'lots' } }, /HostConfig\.Memory/],
    [{ Image: 'busybox', HostConfig: { RestartPolicy: { Name: 'sometimes' } } }, /restart policy/],
    [{ Image: 'busybox', HostConfig: { Binds: ['/no/such/dir/on/host:/x'] } }, /HostConfig\.Binds\[0\].*does not exist/],
    [{ Image: 'busybox', HostConfig: { Memory: 1024 } }, /Minimum memory limit/],
    [{ Image: 'busybox', WorkingDir: 'relative' }, /working directory 'relative' is invalid/],
    [{ Image: 'busybox', ExposedPorts: { 'eighty/tcp': {} } }, /invalid port specification: "eighty\/tcp"/],
    [{ Cmd: ['true'] }, /Image/],
  ];
  for (const [body, re] of cases) {
    const r = await create(body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(message(r), re);
  }
  const badName = await create({ Image: 'busybox' }, '?name=no/slashes');
  assert.equal(badName.status, 400);
  assert.match(message(badName), /Invalid container name/);
  const net = await create({ Image: 'busybox', HostConfig: { NetworkMode: 'nonet' } });
  assert.equal(net.status, 404);
  assert.equal(message(net), 'network nonet not found');
  const platform = await create({ Image: 'busybox' }, '?platform=linux/s390x');
  assert.equal(platform.status, 404);
  assert.match(message(platform), /does not match the specified platform/);
  assert.equal(await count(), before);
});

test('start of a running container is a 304; removing it is a 409; stop of a stopped one a 304', async () => {
  const { Id } = JSON.parse((await create({ Image: 'busybox', Cmd: ['sleep', '1000'] }, '?name=up')).body) as { Id: string };
  assert.equal((await raw('POST', '/v1.47/containers/up/start')).status, 204);
  const again = await raw('POST', '/v1.47/containers/up/start');
  assert.equal(again.status, 304);
  assert.equal(again.body, '');
  const rm = await raw('DELETE', '/v1.47/containers/up');
  assert.equal(rm.status, 409);
  assert.match(message(rm), new RegExp(`You cannot remove a running container ${Id}`));
  assert.equal((await raw('POST', '/v1.47/containers/up/stop?t=0')).status, 204);
  assert.equal((await raw('POST', '/v1.47/containers/up/stop')).status, 304);
  const kill = await raw('POST', '/v1.47/containers/up/kill');
  assert.equal(kill.status, 409);
  assert.match(message(kill), /is not running/);
  assert.equal((await raw('POST', '/v1.47/containers/up/resize?h=10&w=10')).status, 409);
  assert.equal((await raw('DELETE', '/v1.47/containers/up')).status, 204);
});

/** POST a wait; resolves with the status once the headers arrive, the body later. */
function startWait(path: string): Promise<{ status: number; body: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method: 'POST', path }, (res) => {
      const body = new Promise<string>((done) => {
        let text = '';
        res.on('data', (d: Buffer) => { text += d.toString(); });
        res.on('end', () => done(text));
      });
      resolve({ status: res.statusCode ?? 0, body });
    });
    req.on('error', reject);
    req.end();
  });
}

test('wait sends its headers at once and its body when the condition is met', async () => {
  await create({ Image: 'busybox', Cmd: ['sh', '-c', 'exit 3'] }, '?name=waited');
  // The status line arrives while the container has not even started.
  const res = await startWait('/v1.47/containers/waited/wait?condition=next-exit');
  assert.equal(res.status, 200);
  assert.equal(JSON.parse((await raw('GET', '/v1.47/containers/waited/json')).body).State.Status, 'created');
  assert.equal((await raw('POST', '/v1.47/containers/waited/start')).status, 204);
  assert.deepEqual(JSON.parse(await res.body), { StatusCode: 3 });
  const bad = await raw('POST', '/v1.47/containers/waited/wait?condition=whenever');
  assert.equal(bad.status, 400);
  await raw('DELETE', '/v1.47/containers/waited');
});

test('wait condition=removed reports the exit code of an --rm container', async () => {
  await create({ Image: 'busybox', Cmd: ['sh', '-c', 'exit 8'], HostConfig: { AutoRemove: true } }, '?name=gone');
  const res = await startWait('/v1.47/containers/gone/wait?condition=removed');
  assert.equal((await raw('POST', '/v1.47/containers/gone/start')).status, 204);
  assert.deepEqual(JSON.parse(await res.body), { StatusCode: 8 });
  assert.equal((await raw('GET', '/v1.47/containers/gone/json')).status, 404);
});

test('dockerode: create, start, wait, logs, inspect, list, remove', async () => {
  const docker = new Docker({ socketPath: h.socket });
  const c = await docker.createContainer({ Image: 'busybox', name: 'dode', Cmd: ['sh', '-c', 'echo from-dockerode'], Labels: { via: 'dockerode' } });
  await c.start();
  assert.deepEqual(await c.wait(), { StatusCode: 0 });
  const logs = await c.logs({ stdout: true, stderr: true });
  assert.equal(logs.subarray(8).toString(), 'from-dockerode\n');
  const info = await c.inspect();
  assert.equal(info.Name, '/dode');
  assert.equal(info.State.Status, 'exited');
  const list = await docker.listContainers({ all: true, filters: { label: ['via=dockerode'] } });
  assert.deepEqual(list.map((x) => x.Names), [['/dode']]);
  assert.equal(list[0]!.Command, 'sh -c \'echo from-dockerode\'');
  await c.remove();
  await assert.rejects(c.inspect(), /no such container/i);
});

test('dockerode: exec in a running container, with output and exit code', async () => {
  const docker = new Docker({ socketPath: h.socket });
  const c = await docker.createContainer({ Image: 'busybox', name: 'dode-exec', Cmd: ['sleep', '1000'] });
  await c.start();
  const exec = await c.exec({ Cmd: ['sh', '-c', 'echo exec-out; echo exec-err >&2; exit 4'], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const { PassThrough } = await import('node:stream');
  const o = new PassThrough().on('data', (d: Buffer) => out.push(d));
  const e = new PassThrough().on('data', (d: Buffer) => err.push(d));
  docker.modem.demuxStream(stream, o, e);
  await new Promise((r) => stream.on('end', r));
  assert.equal(Buffer.concat(out).toString(), 'exec-out\n');
  assert.equal(Buffer.concat(err).toString(), 'exec-err\n');
  const info = await exec.inspect();
  assert.equal(info.ExitCode, 4);
  assert.equal(info.Running, false);
  await c.remove({ force: true });
  await assert.rejects(c.inspect(), /no such container/i);
});
