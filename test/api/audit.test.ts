import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry, AuditPage } from '../../server/protocol/index.ts';
import { startDashboard, type DashboardHarness } from './dashboard-harness.ts';

const PASSWORD = 'admin password 123';
/** A wrong password that must never be written anywhere. */
const WRONG = 'Wrong-Secret-8f3c1a';
let h: DashboardHarness;
let admin: string;
let operator: string;
let viewer: string;

before(async () => {
  h = await startDashboard('audit', { adminPassword: PASSWORD });
  admin = await h.login('admin', PASSWORD);
  for (const [username, role] of [['auditop', 'operator'], ['auditview', 'readonly']]) {
    const r = await h.request('POST', '/api/users', { cookie: admin, body: { username, password: PASSWORD, role } });
    assert.equal(r.status, 201, r.text);
  }
  operator = await h.login('auditop', PASSWORD);
  viewer = await h.login('auditview', PASSWORD);
});
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const docker = (path: string) => `/api/environments/local/docker${path}`;

async function audit(query: string): Promise<AuditEntry[]> {
  const r = await h.request('GET', `/api/audit?${query}`, { cookie: admin });
  assert.equal(r.status, 200, r.text);
  return (r.json() as AuditPage).entries;
}

test('proxy actions, a refused create and a failed sign-in are recorded, without the password', async () => {
  const created = await h.request('POST', docker('/containers/create?name=audited'), { cookie: admin, body: { Image: 'busybox', Cmd: ['true'] } });
  assert.equal(created.status, 201, created.text);
  const removed = await h.request('DELETE', docker('/containers/audited?force=1'), { cookie: admin });
  assert.equal(removed.status, 204, removed.text);
  // A volume's name is in the body, which is never recorded: the engine's answer names it.
  const volume = await h.request('POST', docker('/volumes/create'), { cookie: admin, body: { Name: 'audited-vol', DriverOpts: {} } });
  assert.equal(volume.status, 201, volume.text);
  const refused = await h.request('POST', docker('/containers/create?name=rooted'), { cookie: operator, body: { Image: 'busybox', HostConfig: { Privileged: true } } });
  assert.equal(refused.status, 403, refused.text);
  const failed = await h.request('POST', '/api/auth/login', { body: { username: 'admin', password: WRONG } });
  assert.equal(failed.status, 401, failed.text);

  const mine = await audit('user=admin&environment=local');
  const create = mine.find((e) => e.action === 'container.create' && e.target === 'audited');
  assert.ok(create, JSON.stringify(mine));
  assert.equal(create.status, 201);
  assert.equal(create.role, 'admin');
  assert.equal(create.method, 'POST');
  assert.equal(create.route, '/containers/create');
  assert.match(create.source, /127\.0\.0\.1$/);
  const remove = mine.find((e) => e.action === 'container.remove' && e.target === 'audited');
  assert.ok(remove);
  assert.equal(remove.status, 204);
  assert.equal(remove.route, '/containers/:id');
  // Newest first: the removal came after the creation.
  assert.ok(remove.id > create.id);

  const vol = mine.find((e) => e.action === 'volume.create');
  assert.equal(vol?.target, 'audited-vol');
  assert.equal((await h.request('DELETE', docker('/volumes/audited-vol'), { cookie: admin })).status, 204);

  const [denied] = await audit('user=auditop&result=failure&action=container');
  assert.ok(denied);
  assert.equal(denied.action, 'container.create');
  assert.equal(denied.role, 'operator');
  assert.equal(denied.status, 403);
  assert.match(denied.error ?? '', /rivileged/);

  const [login] = await audit('action=auth.login&result=failure');
  assert.ok(login);
  assert.equal(login.username, 'admin');
  assert.equal(login.role, 'anonymous');
  assert.equal(login.status, 401);
  // The successful sign-ins of the set-up are there too.
  assert.ok((await audit('action=auth.login&result=success&user=auditop')).length >= 1);

  const exported = await h.request('GET', '/api/audit/export?environment=local', { cookie: admin });
  assert.equal(exported.status, 200);
  assert.match(String(exported.headers['content-disposition']), /attachment/);
  const all = exported.json() as AuditEntry[];
  assert.ok(all.some((e) => e.id === create.id) && all.some((e) => e.id === remove.id) && all.some((e) => e.id === denied.id));
  assert.ok(all.every((e) => e.environment === 'local'));
  const everything = await h.request('GET', '/api/audit/export', { cookie: admin });
  assert.ok((everything.json() as AuditEntry[]).some((e) => e.id === login.id));
  assert.ok(!everything.text.includes(WRONG) && !everything.text.includes(PASSWORD));

  // Nor in the database, its WAL or anything else the dashboard keeps.
  for (const name of await readdir(h.api.config.root)) {
    if (!name.startsWith('dashboard.db')) continue;
    const bytes = await readFile(join(h.api.config.root, name));
    assert.ok(!bytes.includes(WRONG), `${name} holds the password`);
    assert.ok(!bytes.includes(PASSWORD), `${name} holds the password`);
  }
});

test('paging walks back with the before cursor', async () => {
  const first = await h.request('GET', '/api/audit?limit=2', { cookie: admin });
  const page = first.json() as AuditPage;
  assert.equal(page.entries.length, 2);
  assert.ok(page.next !== null);
  const second = await audit(`limit=2&before=${page.next}`);
  assert.ok(second.length > 0 && second.every((e) => e.id < page.entries[1]!.id));
});

test('bad filters get a 400 naming the field', async () => {
  const r = await h.request('GET', '/api/audit?since=yesterday-ish', { cookie: admin });
  assert.equal(r.status, 400);
  assert.equal(r.json().field, 'since');
});

test('operators and read-only users cannot read the log', async () => {
  for (const cookie of [operator, viewer]) {
    assert.equal((await h.request('GET', '/api/audit', { cookie })).status, 403);
    assert.equal((await h.request('GET', '/api/audit/export', { cookie })).status, 403);
  }
  assert.equal((await h.request('GET', '/api/audit')).status, 401);
});
