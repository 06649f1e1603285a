import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as errors from '../../runtime/index.ts';
import { createDockerApiServer } from '../../server/docker-api/server.ts';
import { closeServer, listen } from '../../server/http.ts';
import { FakeEngine } from '../helpers/fake-engine.ts';
import { rawExchange, request } from '../helpers/unix-http.ts';

const fake = new FakeEngine();
const web = fake.addContainer({ name: 'web', running: true, hostConfig: { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] } }, config: { ExposedPorts: { '80/tcp': {} }, Labels: { tier: 'front' } } });
fake.addContainer({ name: 'job' });
let dir: string;
let server: http.Server;
let socketPath: string;
const call = (method: string, p: string, body?: unknown) => request({ socketPath }, method, p, { body });

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wharf-fake-docker-'));
  socketPath = path.join(dir, 'docker.sock');
  server = createDockerApiServer(fake.engine);
  await listen(server, { path: socketPath });
});
after(async () => {
  await closeServer(server, 1000);
  await rm(dir, { recursive: true, force: true });
});

test('/_ping answers OK with the API headers', async () => {
  const r = await call('GET', '/_ping');
  assert.equal(r.status, 200);
  assert.equal(r.text, 'OK');
  assert.equal(r.headers['api-version'], '1.47');
  assert.equal(r.headers.ostype, 'linux');
  const head = await call('HEAD', '/_ping');
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
});

test('version prefixes from /v1.24 to /v1.47 route; others are refused with 400', async () => {
  for (const v of ['1.24', '1.41', '1.47']) assert.equal((await call('GET', `/v${v}/containers/json`)).status, 200, v);
  const old = await call('GET', '/v1.23/containers/json');
  assert.equal(old.status, 400);
  assert.match((old.json() as { message: string }).message, /client version 1.23 is too old. Minimum supported API version is 1.24/);
  const young = await call('GET', '/v1.48/containers/json');
  assert.equal(young.status, 400);
  assert.match((young.json() as { message: string }).message, /client version 1.48 is too new/);
});

test('an unknown path, or a known one with another method, is 404 page not found as in dockerd', async () => {
  for (const [method, p] of [['GET', '/nowhere'], ['PUT', '/containers/json'], ['GET', '/v1.47/containers/web/start']] as const) {
    const r = await call(method, p);
    assert.equal(r.status, 404, `${method} ${p}`);
    assert.deepEqual(r.json(), { message: 'page not found' });
    assert.match(String(r.headers['content-type']), /application\/json/);
  }
});

test('container list: running ones by default, the summary in dockerd\'s fields', async () => {
  const list = (await call('GET', '/containers/json')).json() as Record<string, unknown>[];
  assert.deepEqual(list.map((c) => c.Names), [['/web']]);
  const c = list[0]!;
  assert.deepEqual(Object.keys(c), ['Id', 'Names', 'Image', 'ImageID', 'Command', 'Created', 'Ports', 'Labels', 'State', 'Status', 'HostConfig', 'NetworkSettings', 'Mounts']);
  assert.equal(c.Id, web.id);
  assert.equal(c.Image, 'busybox:latest');
  assert.equal(c.Command, "sh -c 'sleep 1000'");
  assert.equal(c.State, 'running');
  assert.match(String(c.Status), /^Up \d+ seconds?$/);
  assert.deepEqual(c.Ports, [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }]);
  assert.deepEqual(c.Labels, { tier: 'front' });
  assert.deepEqual(c.HostConfig, { NetworkMode: 'bridge' });
  assert.deepEqual(Object.keys((c.NetworkSettings as { Networks: object }).Networks), ['bridge']);
  const all = (await call('GET', '/containers/json?all=1')).json() as { Names: string[]; State: string; Status: string }[];
  assert.deepEqual(all.map((x) => [x.Names[0], x.State, x.Status]), [['/job', 'created', 'Created'], ['/web', 'running', all[1]!.Status]]);
  const filtered = (await call('GET', `/containers/json?all=1&filters=${encodeURIComponent('{"label":["tier=front"]}')}`)).json() as { Id: string }[];
  assert.deepEqual(filtered.map((x) => x.Id), [web.id]);
});

test('container inspect: dockerd\'s document, in its order', async () => {
  const r = await call('GET', '/containers/web/json');
  assert.equal(r.status, 200);
  const c = r.json() as Record<string, unknown>;
  assert.deepEqual(Object.keys(c), [
    'Id', 'Created', 'Path', 'Args', 'State', 'Image', 'ResolvConfPath', 'HostnamePath', 'HostsPath', 'LogPath', 'Name', 'RestartCount', 'Driver',
    'Platform', 'MountLabel', 'ProcessLabel', 'AppArmorProfile', 'ExecIDs', 'HostConfig', 'GraphDriver', 'Mounts', 'Config', 'NetworkSettings',
  ]);
  assert.equal(c.Name, '/web');
  assert.equal(c.ExecIDs, null);
  const state = c.State as Record<string, unknown>;
  assert.deepEqual([state.Status, state.Running, state.Pid !== 0], ['running', true, true]);
  const hc = c.HostConfig as Record<string, unknown>;
  assert.deepEqual(hc.LogConfig, { Type: 'k8s-file', Config: {} });
  assert.deepEqual(hc.RestartPolicy, { Name: 'no', MaximumRetryCount: 0 });
  const config = c.Config as Record<string, unknown>;
  assert.deepEqual(config.ExposedPorts, { '80/tcp': {} });
  assert.equal(config.OnBuild, null);
  const ns = c.NetworkSettings as { Ports: Record<string, unknown> };
  assert.deepEqual(ns.Ports, { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] });
  // By id prefix too.
  assert.equal(((await call('GET', `/containers/${web.id.slice(0, 12)}/json`)).json() as { Id: string }).Id, web.id);
});

test('engine errors become dockerd\'s statuses with a {message} body', async () => {
  const missing = await call('GET', '/containers/nope/json');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json(), { message: 'No such container: nope' });
  // Starting a running container changes nothing: 304 without a body.
  const again = await call('POST', '/containers/web/start');
  assert.equal(again.status, 304);
  assert.equal(again.text, '');
  const busy = await call('DELETE', '/containers/web');
  assert.equal(busy.status, 409);
  assert.match((busy.json() as { message: string }).message, /container is running/);
  assert.equal((await call('POST', '/containers/job/kill')).status, 409);
  const badFilter = await call('GET', `/containers/json?filters=${encodeURIComponent('{"colour":["red"]}')}`);
  assert.equal(badFilter.status, 400);
  assert.deepEqual(badFilter.json(), { message: "invalid filter 'colour'" });
});

test('each error class a service throws maps to one status', async () => {
  const cases: [Error, number][] = [
    [new errors.InvalidArgumentError('bad'), 400],
    [new errors.UnauthenticatedError('who'), 401],
    [new errors.PermissionDeniedError('no'), 403],
    [new errors.NotFoundError('gone'), 404],
    [new errors.AlreadyExistsError('twice'), 409],
    [new errors.ConflictError('busy'), 409],
    [new errors.FailedPreconditionError('not yet'), 409],
    [new errors.ResourceExhaustedError('slow down', 7), 429],
    [new errors.InternalError('broken'), 500],
    [new errors.NotImplementedError('later'), 501],
    [new errors.UnavailableError('registry down'), 503],
    [new TypeError('a bug'), 500],
  ];
  const quiet = console.error;
  console.error = () => {};
  try {
    for (const [err, status] of cases) {
      fake.faults.set('kill', err);
      const r = await call('POST', '/containers/web/kill');
      assert.equal(r.status, status, err.name);
      assert.deepEqual(r.json(), { message: err.message });
      if (status === 429) assert.equal(r.headers['retry-after'], '7');
    }
  } finally {
    console.error = quiet;
  }
});

test('a hijack request that fails before the upgrade gets its error as a plain HTTP answer', async () => {
  const raw = await rawExchange(socketPath, 'POST /v1.47/containers/nope/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n');
  assert.match(raw, /^HTTP\/1\.1 404 Not Found\r\n/);
  assert.ok(raw.endsWith('{"message":"No such container: nope"}'), raw);
});
