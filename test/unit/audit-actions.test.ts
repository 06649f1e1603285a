import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { dockerAction } from '../../server/audit/docker-actions.ts';
import { dashboardAction, dashboardTarget } from '../../server/audit/dashboard-actions.ts';
import { AuditStore } from '../../server/audit/store.ts';

const q = (s = '') => new URLSearchParams(s);

test('Docker API requests are named by action, route pattern and target', () => {
  assert.deepEqual(dockerAction('POST', '/v1.47/containers/create', q('name=web')), { action: 'container.create', route: '/containers/create', target: 'web' });
  assert.deepEqual(dockerAction('POST', '/containers/abc/start', q()), { action: 'container.start', route: '/containers/:id/:verb', target: 'abc' });
  assert.deepEqual(dockerAction('DELETE', '/containers/abc', q('force=1')), { action: 'container.remove', route: '/containers/:id', target: 'abc' });
  assert.deepEqual(dockerAction('POST', '/images/create', q('fromImage=library/busybox&tag=1.36')), { action: 'image.pull', route: '/images/create', target: 'library/busybox:1.36' });
  assert.equal(dockerAction('POST', '/images/create', q('fromSrc=-&repo=x')).action, 'image.import');
  assert.deepEqual(dockerAction('DELETE', '/images/registry:5000/a/b:1', q()), { action: 'image.remove', route: '/images/:name*', target: 'registry:5000/a/b:1' });
  assert.equal(dockerAction('POST', '/images/a/b/push', q()).action, 'image.push');
  assert.deepEqual(dockerAction('POST', '/build', q('t=app:1&buildargs={"TOKEN":"s3cret"}')), { action: 'image.build', route: '/build', target: 'app:1' });
  assert.equal(dockerAction('POST', '/exec/e1/start', q()).action, 'exec.start');
  assert.equal(dockerAction('POST', '/networks/n1/connect', q()).action, 'network.connect');
  // A path no engine route knows is still recorded, by method.
  assert.deepEqual(dockerAction('POST', '/swarm/init', q()), { action: 'docker.post', route: '/swarm/init', target: null });
});

test('dashboard routes are named, unknown ones after their resource', () => {
  assert.equal(dashboardAction('POST', '/api/auth/login'), 'auth.login');
  assert.equal(dashboardAction('DELETE', '/api/users/:username'), 'user.remove');
  assert.equal(dashboardAction('PUT', '/api/settings'), 'settings.put');
  assert.equal(dashboardTarget({ username: 'bob' }, undefined), 'bob');
  // A registry's answer names its login too: the registry's name is the target.
  assert.equal(dashboardTarget({}, { name: 'Hub', username: 'me', address: 'docker.io' }), 'Hub');
});

test('the store pages newest first, filters, and prunes beyond its limits in batches', async () => {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, username TEXT NOT NULL, role TEXT NOT NULL,
    action TEXT NOT NULL, method TEXT NOT NULL, route TEXT NOT NULL, target TEXT, environment TEXT, source TEXT NOT NULL, status INTEGER NOT NULL, error TEXT)`);
  let now = 10_000_000;
  const store = new AuditStore(db, { maxEntries: 2500, maxAgeMs: 1_000_000 }, () => now);
  const entry = (i: number) => ({ time: now - 500_000 + i, username: i % 2 ? 'Ann' : 'bob', role: 'admin', action: i % 3 ? 'container.start' : 'image.pull', method: 'POST', route: '/x', target: `t${i}`, environment: 'local', source: '127.0.0.1', status: i % 5 ? 204 : 500, error: i % 5 ? null : 'boom' });
  for (let i = 0; i < 3000; i++) store.add(entry(i));
  const page = store.page({ limit: 3, user: 'ann', action: 'container', result: 'success' });
  assert.deepEqual(page.map((e) => e.target), ['t2999', 't2993', 't2989']);
  assert.ok(store.page({ limit: 500, result: 'failure' }).every((e) => e.status >= 400));
  // Pruning runs on later turns of the loop, one batch at a time.
  await new Promise((r) => setTimeout(r, 200));
  const count = () => (db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n;
  assert.equal(count(), 2500);
  now += 10_000_000;
  for (let i = 0; i < 100; i++) store.add({ ...entry(i), time: now });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(count(), 100);
  db.close();
});
