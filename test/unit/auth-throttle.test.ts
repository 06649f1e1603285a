import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthService } from '../../server/auth/service.ts';
import { openDashboardDb } from '../../server/auth/db.ts';
import { Backoff } from '../../server/auth/backoff.ts';

test('back-off doubles after the free attempts and a success resets it', () => {
  let now = 0;
  const b = new Backoff({ free: 2, baseMs: 1000, maxMs: 4000, forgetMs: 60_000 }, () => now);
  b.fail('k'); b.fail('k');
  assert.equal(b.retryAfterMs('k'), 1000);
  b.fail('k');
  assert.equal(b.retryAfterMs('k'), 2000);
  b.fail('k'); b.fail('k');
  assert.equal(b.retryAfterMs('k'), 4000, 'capped');
  now += 1500;
  assert.equal(b.retryAfterMs('k'), 2500);
  b.reset('k');
  assert.equal(b.retryAfterMs('k'), 0);
  b.fail('old'); b.fail('old');
  now += 60_000;
  assert.equal(b.retryAfterMs('old'), 0, 'forgotten after a quiet hour');
});

test("an attacker's failed sign-ins never lock the real user out from another address", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-auth-'));
  const db = openDashboardDb(join(dir, 'dashboard.db'));
  try {
    let now = 1_000_000;
    const auth = new AuthService(db, () => now);
    await auth.bootstrap('the real admin password', () => undefined);
    const attacker = '203.0.113.9';
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await auth.login('admin', `guess ${i}`, attacker);
      statuses.push(r.ok ? 200 : r.status);
    }
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.equal(statuses[5], 429, 'the sixth guess from that address waits');
    const waiting = await auth.login('admin', 'the real admin password', attacker);
    assert.ok(!waiting.ok && waiting.status === 429 && (waiting.retryAfterS ?? 0) >= 1, 'even the right password waits at that address');

    const real = await auth.login('admin', 'the real admin password', '198.51.100.7');
    assert.ok(real.ok, 'the real user signs in from elsewhere');

    // The attacker's waits grow with each failure after the wait: 1 s, then 2 s, then 4 s.
    now += 1000;
    const next = await auth.login('admin', 'guess again', attacker);
    assert.ok(!next.ok && next.status === 401);
    const after = await auth.login('admin', 'and again', attacker);
    assert.ok(!after.ok && after.status === 429 && after.retryAfterS === 2, JSON.stringify(after));
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
});
