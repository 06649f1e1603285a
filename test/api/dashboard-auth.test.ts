import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDashboard, sessionCookieOf, type DashboardHarness } from './dashboard-harness.ts';

let h: DashboardHarness;
let admin: string;
const PASSWORD = 'correct horse battery';

before(async () => { h = await startDashboard('dash-auth'); });
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function setupToken(): string {
  const line = h.logs.find((l) => l.startsWith('wharf: setup token: '));
  assert.ok(line, `no setup token in the log: ${h.logs.join('\n')}`);
  return line.slice('wharf: setup token: '.length);
}

test('pages load at the first request; requests that arrive together share that load', async () => {
  // Nothing has asked for a page yet: the API answers without Next loaded.
  assert.equal((await h.request('GET', '/api/auth/status')).status, 200);
  const first = await Promise.all([1, 2, 3, 4].map(() => h.request('GET', '/login')));
  for (const r of first) {
    assert.equal(r.status, 200);
    assert.match(r.text, /<html/i);
  }
});

test('a fresh dashboard asks for setup, and setup needs the token from the log', async () => {
  const status = await h.request('GET', '/api/auth/status');
  assert.equal(status.status, 200);
  assert.deepEqual(status.json(), { setupRequired: true, user: null });

  const bad = await h.request('POST', '/api/auth/setup', { body: { username: 'root', password: PASSWORD, token: 'not-the-token' } });
  assert.equal(bad.status, 403);
  assert.match(bad.json().message, /setup token/);

  const short = await h.request('POST', '/api/auth/setup', { body: { username: 'root', password: 'short', token: setupToken() } });
  assert.equal(short.status, 400);
  assert.equal(short.json().field, 'password');

  const good = await h.request('POST', '/api/auth/setup', { body: { username: 'root', password: PASSWORD, token: setupToken() } });
  assert.equal(good.status, 200, good.text);
  assert.deepEqual(good.json(), { user: { username: 'root', role: 'admin' } });
  admin = sessionCookieOf(good.headers);

  const again = await h.request('POST', '/api/auth/setup', { body: { username: 'other', password: PASSWORD, token: setupToken() } });
  assert.equal(again.status, 409);
  assert.deepEqual((await h.request('GET', '/api/auth/status', { cookie: admin })).json(), { setupRequired: false, user: { username: 'root', role: 'admin' } });
});

test('login: a wrong password is 401, the right one sets an HttpOnly SameSite=Strict cookie', async () => {
  const wrong = await h.request('POST', '/api/auth/login', { body: { username: 'root', password: 'not the password' } });
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.json(), { message: 'invalid username or password' });
  assert.equal(wrong.headers['set-cookie'], undefined);
  const nobody = await h.request('POST', '/api/auth/login', { body: { username: 'nobody', password: PASSWORD } });
  assert.equal(nobody.status, 401);
  assert.deepEqual(nobody.json(), { message: 'invalid username or password' });

  const ok = await h.request('POST', '/api/auth/login', { body: { username: 'root', password: PASSWORD } });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.json(), { user: { username: 'root', role: 'admin' } });
  const cookie = ok.headers['set-cookie']!.find((c) => c.startsWith('wharf_session='))!;
  const flags = cookie.split(';').map((f) => f.trim());
  assert.ok(flags.includes('HttpOnly'), cookie);
  assert.ok(flags.includes('SameSite=Strict'), cookie);
  assert.ok(flags.includes('Path=/'), cookie);
  assert.ok(!flags.includes('Secure'), 'plain http gets no Secure flag');
  assert.match(flags[0]!, /^wharf_session=[\w-]{43}$/);

  const proxied = await h.request('POST', '/api/auth/login', { body: { username: 'root', password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
  assert.ok(proxied.headers['set-cookie']!.some((c) => c.split(';').map((f) => f.trim()).includes('Secure')));
});

test('routes other than auth and health need a session', async () => {
  assert.equal((await h.request('GET', '/api/health')).status, 200);
  for (const path of ['/api/environments/local/docker/containers/json', '/api/environments', '/api/users', '/api/engine/info', '/api/no-such-route']) {
    const r = await h.request('GET', path);
    assert.equal(r.status, 401, path);
    assert.equal(typeof r.json().message, 'string');
  }
  const forged = await h.request('GET', '/api/environments', { cookie: 'wharf_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
  assert.equal(forged.status, 401);
  const info = await h.request('GET', '/api/engine/info', { cookie: admin });
  assert.equal(info.status, 200);
  assert.equal(info.json().DockerRootDir, h.api.config.root);
});

test('a mutating request from another origin is refused, from our own origin it passes', async () => {
  const body = { username: 'viewer', password: PASSWORD, role: 'readonly' };
  const foreign = await h.request('POST', '/api/users', { cookie: admin, body, headers: { origin: 'http://evil.example' } });
  assert.equal(foreign.status, 403);
  assert.match(foreign.json().message, /origin/i);
  const otherPort = await h.request('POST', '/api/auth/login', { body: { username: 'root', password: PASSWORD }, headers: { origin: 'http://127.0.0.1:1' } });
  assert.equal(otherPort.status, 403);
  assert.equal((await h.request('GET', '/api/users', { cookie: admin })).json().some((u: { username: string }) => u.username === 'viewer'), false);

  const own = await h.request('POST', '/api/users', { cookie: admin, body, headers: { origin: h.url } });
  assert.equal(own.status, 201, own.text);
  assert.deepEqual({ ...own.json(), createdAt: undefined }, { username: 'viewer', role: 'readonly', createdAt: undefined });
});

test('users: admins manage them, others may not; no deleting yourself or the last admin', async () => {
  const op = await h.request('POST', '/api/users', { cookie: admin, body: { username: 'op', password: PASSWORD, role: 'operator' } });
  assert.equal(op.status, 201);
  const dup = await h.request('POST', '/api/users', { cookie: admin, body: { username: 'OP', password: PASSWORD, role: 'operator' } });
  assert.equal(dup.status, 409);
  const list = (await h.request('GET', '/api/users', { cookie: admin })).json() as Array<{ username: string; role: string; createdAt: string }>;
  assert.deepEqual(list.map((u) => [u.username, u.role]), [['op', 'operator'], ['root', 'admin'], ['viewer', 'readonly']]);
  assert.ok(list.every((u) => !Number.isNaN(Date.parse(u.createdAt))));

  const viewer = await h.login('viewer', PASSWORD);
  assert.equal((await h.request('GET', '/api/users', { cookie: viewer })).status, 403);
  assert.equal((await h.request('POST', '/api/environments', { cookie: viewer, body: { name: 'x', url: 'tcp://127.0.0.1:1' } })).status, 403);

  assert.equal((await h.request('DELETE', '/api/users/root', { cookie: admin })).status, 409);
  assert.equal((await h.request('PATCH', '/api/users/root', { cookie: admin, body: { role: 'operator' } })).status, 409);
  assert.equal((await h.request('PATCH', '/api/users/op', { cookie: admin, body: {} })).status, 400);
  const promoted = await h.request('PATCH', '/api/users/op', { cookie: admin, body: { role: 'admin' } });
  assert.equal(promoted.json().role, 'admin');
  assert.equal((await h.request('PATCH', '/api/users/op', { cookie: admin, body: { role: 'operator' } })).status, 200);
  assert.equal((await h.request('DELETE', '/api/users/nobody', { cookie: admin })).status, 404);

  // Deleting a user ends their sessions at once.
  assert.equal((await h.request('GET', '/api/environments', { cookie: viewer })).status, 200);
  assert.equal((await h.request('DELETE', '/api/users/viewer', { cookie: admin })).status, 204);
  assert.equal((await h.request('GET', '/api/environments', { cookie: viewer })).status, 401);
});

test('environments: local is listed and up; admins add and remove remote ones', async () => {
  const list = await h.request('GET', '/api/environments', { cookie: admin });
  assert.deepEqual(list.json(), [{ id: 'local', name: 'local', type: 'embedded', status: 'up' }]);
  const bad = await h.request('POST', '/api/environments', { cookie: admin, body: { name: 'bad', url: 'ftp://x' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json().field, 'url');
  const added = await h.request('POST', '/api/environments', { cookie: admin, body: { name: 'self', url: `unix://${h.api.socket}` } });
  assert.equal(added.status, 201, added.text);
  const env = added.json();
  assert.deepEqual({ ...env, id: undefined }, { id: undefined, name: 'self', type: 'docker', url: `unix://${h.api.socket}`, status: 'up' });
  const gone = await h.request('POST', '/api/environments', { cookie: admin, body: { name: 'gone', url: 'unix:///nonexistent/docker.sock' } });
  assert.equal(gone.json().status, 'down');
  // A remote environment goes through the same proxy.
  const ping = await h.request('GET', `/api/environments/${env.id}/docker/_ping`, { cookie: admin });
  assert.equal(ping.status, 200);
  assert.equal(ping.text, 'OK');
  assert.equal((await h.request('GET', '/api/environments/nope/docker/_ping', { cookie: admin })).status, 404);
  assert.equal((await h.request('DELETE', '/api/environments/local', { cookie: admin })).status, 409);
  assert.equal((await h.request('DELETE', `/api/environments/${env.id}`, { cookie: admin })).status, 204);
  assert.equal((await h.request('DELETE', `/api/environments/${gone.json().id}`, { cookie: admin })).status, 204);
  assert.equal((await h.request('GET', '/api/environments', { cookie: admin })).json().length, 1);
});

test('logout ends the session and clears the cookie', async () => {
  const cookie = await h.login('root', PASSWORD);
  const out = await h.request('POST', '/api/auth/logout', { cookie });
  assert.equal(out.status, 204);
  assert.match(out.headers['set-cookie']![0]!, /^wharf_session=;.*Max-Age=0/);
  assert.equal((await h.request('GET', '/api/environments', { cookie })).status, 401);
  assert.deepEqual((await h.request('GET', '/api/auth/status', { cookie })).json(), { setupRequired: false, user: null });
});

test('five failed logins for a user in a minute: the next attempt is 429 with Retry-After, even with the right password', async () => {
  for (let i = 0; i < 5; i++) {
    assert.equal((await h.request('POST', '/api/auth/login', { body: { username: 'op', password: `wrong ${i}` } })).status, 401);
  }
  const limited = await h.request('POST', '/api/auth/login', { body: { username: 'op', password: PASSWORD } });
  assert.equal(limited.status, 429);
  const retry = Number(limited.headers['retry-after']);
  assert.ok(retry > 0 && retry <= 60, `Retry-After: ${limited.headers['retry-after']}`);
  // Other accounts are not locked out by it.
  assert.equal((await h.request('POST', '/api/auth/login', { body: { username: 'root', password: PASSWORD } })).status, 200);
  // Guesses sent all at once do not slip under the limit while the first ones are being checked.
  const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => h.request('POST', '/api/auth/login', { body: { username: 'root', password: `guess ${i}` } })));
  assert.deepEqual(burst.map((r) => r.status).sort(), [401, 401, 401, 401, 401, 429, 429, 429]);
});

test('sessions slide for 12 h of use and end 7 days after sign-in', async () => {
  const { openDashboardDb } = await import('../../server/auth/db.ts');
  const { SessionStore, SESSION_IDLE_MS, SESSION_MAX_MS } = await import('../../server/auth/sessions.ts');
  const db = openDashboardDb(':memory:');
  try {
    db.prepare("INSERT INTO users VALUES ('u', 'x', 'operator', '2020-01-01T00:00:00Z')").run();
    let now = 1_000_000;
    const store = new SessionStore(db, () => now);
    const token = store.create('u');
    // Only a hash of the cookie value is stored.
    const stored = db.prepare('SELECT id_hash FROM sessions').all() as Array<{ id_hash: string }>;
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0]!.id_hash, token);
    // Used every 11 hours, it stays alive up to the absolute limit.
    while (now + 11 * 3600_000 < 1_000_000 + SESSION_MAX_MS) {
      now += 11 * 3600_000;
      assert.equal(store.resolve(token)?.user.username, 'u', `at +${(now - 1_000_000) / 3600_000} h`);
    }
    now = 1_000_000 + SESSION_MAX_MS + 1;
    assert.equal(store.resolve(token), undefined);
    const idle = store.create('u');
    now += SESSION_IDLE_MS + 1;
    assert.equal(store.resolve(idle), undefined);
    assert.equal((db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n, 0);
  } finally {
    db.close();
  }
});
