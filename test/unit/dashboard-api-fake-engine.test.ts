import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDashboard, type Dashboard } from '../../server/dashboard-api/index.ts';
import { createDockerApiServer } from '../../server/docker-api/server.ts';
import { closeServer, createDashboardServer, listen } from '../../server/http.ts';
import { FakeEngine } from '../helpers/fake-engine.ts';
import { request, type Answer } from '../helpers/unix-http.ts';

const PASSWORD = 'correct horse battery';
const fake = new FakeEngine();
fake.addContainer({ name: 'web', running: true });
let dir: string;
let dashboard: Dashboard;
let docker: http.Server;
let web: http.Server;
let port: number;
const admin = { cookie: '' };

function call(method: string, p: string, opts: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers = { ...opts.headers, ...(opts.cookie ? { cookie: opts.cookie } : {}) };
  return request({ port }, method, p, { body: opts.body, headers });
}
const message = (r: Answer): string => (r.json() as { message: string }).message;

async function signIn(username: string, password = PASSWORD): Promise<string> {
  const r = await call('POST', '/api/auth/login', { body: { username, password } });
  assert.equal(r.status, 200, r.text);
  const set = r.headers['set-cookie']?.[0] ?? '';
  return set.split(';')[0]!;
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wharf-fake-dashboard-'));
  const socketPath = path.join(dir, 'docker.sock');
  docker = createDockerApiServer(fake.engine);
  await listen(docker, { path: socketPath });
  dashboard = await openDashboard({ engine: fake.engine, root: dir, socketPath, adminPassword: PASSWORD, log: () => {} });
  web = createDashboardServer({ api: dashboard.handle, pages: async (_req, res) => { res.end('page'); } });
  port = ((await listen(web, { host: '127.0.0.1', port: 0 })) as AddressInfo).port;
  admin.cookie = await signIn('admin');
  for (const [username, role] of [['ops', 'operator'], ['viewer', 'readonly']]) {
    const r = await call('POST', '/api/users', { cookie: admin.cookie, body: { username, password: PASSWORD, role } });
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => {
  await closeServer(web, 1000);
  await closeServer(docker, 1000);
  dashboard.close();
  await rm(dir, { recursive: true, force: true });
});

test('health is public; everything else wants a session (401), whether the route exists or not', async () => {
  assert.equal((await call('GET', '/api/health')).status, 200);
  for (const p of ['/api/environments', '/api/users', '/api/nowhere']) {
    const r = await call('GET', p);
    assert.equal(r.status, 401, p);
    assert.deepEqual(r.json(), { message: 'sign in first' });
    assert.equal(r.headers['cache-control'], 'no-store');
  }
});

test('sign-in: a wrong password is 401; repeated failures are 429 with Retry-After', async () => {
  const wrong = await call('POST', '/api/auth/login', { body: { username: 'viewer', password: 'not the password' } });
  assert.equal(wrong.status, 401);
  assert.equal(message(wrong), 'invalid username or password');
  const missing = await call('POST', '/api/auth/login', { body: { username: 'viewer' } });
  assert.equal(missing.status, 400);
  assert.equal((missing.json() as { field?: string }).field, 'password');
  let last: Answer | undefined;
  for (let i = 0; i < 6; i += 1) last = await call('POST', '/api/auth/login', { body: { username: 'limited', password: 'not the password' } });
  assert.equal(last!.status, 429);
  assert.match(String(last!.headers['retry-after']), /^\d+$/);
});

test('roles: admin routes are 403 for others; readonly users may only read the Docker API', async () => {
  const viewer = await signIn('viewer');
  const ops = await signIn('ops');
  assert.equal((await call('GET', '/api/users', { cookie: viewer })).status, 403);
  assert.equal((await call('GET', '/api/users', { cookie: admin.cookie })).status, 200);
  assert.equal((await call('GET', '/api/engine/info', { cookie: viewer })).status, 200);
  const stop = await call('POST', '/api/environments/local/docker/containers/web/stop', { cookie: viewer });
  assert.equal(stop.status, 403);
  assert.match(message(stop), /readonly users can only view/);
  const privileged = await call('POST', '/api/environments/local/docker/containers/create', { cookie: ops, body: { Image: 'busybox', HostConfig: { Privileged: true } } });
  assert.equal(privileged.status, 403);
  assert.equal((privileged.json() as { field?: string }).field, 'HostConfig.Privileged');
});

test('the router: 405 with Allow for a known path, 404 for an unknown one, 413 for an oversized body', async () => {
  const wrongMethod = await call('DELETE', '/api/users', { cookie: admin.cookie });
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.allow, 'GET, POST');
  assert.equal((await call('GET', '/api/nowhere', { cookie: admin.cookie })).status, 404);
  const huge = await call('POST', '/api/users', { cookie: admin.cookie, body: `{"username":"${'x'.repeat(70 * 1024)}"}` });
  assert.equal(huge.status, 413);
});

test('a mutating request from another origin is refused', async () => {
  const r = await call('POST', '/api/auth/logout', { headers: { origin: 'http://evil.example' } });
  assert.equal(r.status, 403);
  assert.match(message(r), /cross-origin/);
});

test('the environment proxy reaches the engine\'s Docker API and relays its answers', async () => {
  const list = await call('GET', '/api/environments/local/docker/containers/json', { cookie: admin.cookie });
  assert.equal(list.status, 200);
  assert.deepEqual((list.json() as { Names: string[] }[]).map((c) => c.Names), [['/web']]);
  const versioned = await call('GET', '/api/environments/local/docker/v1.41/containers/web/json', { cookie: admin.cookie });
  assert.equal((versioned.json() as { Name: string }).Name, '/web');
  const missing = await call('GET', '/api/environments/local/docker/containers/nope/json', { cookie: admin.cookie });
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json(), { message: 'No such container: nope' });
  assert.equal((await call('GET', '/api/environments/nope/docker/_ping', { cookie: admin.cookie })).status, 404);
});

test('an environment that cannot be reached is 502; browsing its volumes is 501', async () => {
  const add = await call('POST', '/api/environments', { cookie: admin.cookie, body: { name: 'gone', url: `unix://${path.join(dir, 'nobody.sock')}` } });
  assert.equal(add.status, 201, add.text);
  const id = (add.json() as { id: string }).id;
  const quiet = console.error;
  console.error = () => {};
  try {
    const r = await call('GET', `/api/environments/${id}/docker/_ping`, { cookie: admin.cookie });
    assert.equal(r.status, 502);
    assert.match(message(r), /cannot reach the engine/);
  } finally {
    console.error = quiet;
  }
  const browse = await call('GET', `/api/environments/${id}/volumes/data/browse`, { cookie: admin.cookie });
  assert.equal(browse.status, 501);
  assert.equal((await call('GET', '/api/environments/local/volumes/nope/browse', { cookie: admin.cookie })).status, 404);
});
