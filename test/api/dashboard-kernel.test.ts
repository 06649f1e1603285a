/** The "Under the hood" route: any signed-in role may read it; nobody signed out; unknown containers are 404. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDashboard, type DashboardHarness } from './dashboard-harness.ts';

const PASSWORD = 'admin password 123';
let h: DashboardHarness;
let admin: string;
let viewer: string;

before(async () => {
  h = await startDashboard('dash-kernel', { adminPassword: PASSWORD });
  admin = await h.login('admin', PASSWORD);
  const r = await h.request('POST', '/api/users', { cookie: admin, body: { username: 'viewer', password: PASSWORD, role: 'readonly' } });
  assert.equal(r.status, 201, r.text);
  viewer = await h.login('viewer', PASSWORD);
});

after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

test('a read-only user reads the kernel view of a running container; signed out and unknown are refused', async () => {
  const created = await h.request('POST', '/api/environments/local/docker/containers/create?name=kview', {
    cookie: admin, body: { Image: 'busybox', Cmd: ['sleep', '300'], HostConfig: { Memory: 32 * 1024 * 1024 } },
  });
  assert.equal(created.status, 201, created.text);
  const id: string = created.json().Id;
  const started = await h.request('POST', `/api/environments/local/docker/containers/${id}/start`, { cookie: admin });
  assert.equal(started.status, 204, started.text);

  const r = await h.request('GET', '/api/environments/local/containers/kview/kernel', { cookie: viewer });
  assert.equal(r.status, 200, r.text);
  const view = r.json();
  assert.equal(view.id, id);
  assert.equal(view.running, true);
  assert.deepEqual(view.namespaces.value.map((n: { type: string }) => n.type), ['pid', 'net', 'ipc', 'uts', 'mnt', 'cgroup', 'user']);
  assert.equal(view.cgroup.value.limits.memory, 32 * 1024 * 1024);
  assert.equal(view.spec.ok, true);

  assert.equal((await h.request('GET', '/api/environments/local/containers/kview/kernel')).status, 401);
  const missing = await h.request('GET', '/api/environments/local/containers/no-such-container/kernel', { cookie: viewer });
  assert.equal(missing.status, 404, missing.text);
  assert.match(missing.json().message, /no-such-container/);
  assert.equal((await h.request('GET', '/api/environments/nowhere/containers/kview/kernel', { cookie: viewer })).status, 404);
});
