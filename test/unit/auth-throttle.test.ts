import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthService } from '../../server/auth/service.ts';
import { openDashboardDb } from '../../server/auth/db.ts';
import { Backoff } from '../../server/auth/backoff.ts';
import type { ResourceExhaustedError } from '../../runtime/index.ts';

/** 200 for a sign-in, otherwise the status its error class maps to. */
async function outcome(login: Promise<unknown>): Promise<number> {
  try {
    await login;
    return 200;
  } catch (e) {
    const code = (e as { code?: string }).code;
    return code === 'Unauthenticated' ? 401 : code === 'ResourceExhausted' ? 429 : 500;
  }
}

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
    for (let i = 0; i < 8; i++) statuses.push(await outcome(auth.login('admin', `guess ${i}`, attacker)));
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.equal(statuses[5], 429, 'the sixth guess from that address waits');
    await assert.rejects(auth.login('admin', 'the real admin password', attacker), (e: ResourceExhaustedError) => e.code === 'ResourceExhausted' && (e.retryAfterS ?? 0) >= 1, 'even the right password waits at that address');

    const real = await auth.login('admin', 'the real admin password', '198.51.100.7');
    assert.equal(real.user.username, 'admin', 'the real user signs in from elsewhere');

    // The attacker's waits grow with each failure after the wait: 1 s, then 2 s, then 4 s.
    now += 1000;
    assert.equal(await outcome(auth.login('admin', 'guess again', attacker)), 401);
    await assert.rejects(auth.login('admin', 'and again', attacker), (e: ResourceExhaustedError) => e.retryAfterS === 2);
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
});
