import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDashboard, type DashboardHarness } from './dashboard-harness.ts';

const PASSWORD = 'admin password 123';
let h: DashboardHarness;
let cookie: string;
let work: string;
before(async () => {
  h = await startDashboard('dash-hints', { adminPassword: PASSWORD });
  cookie = await h.login('admin', PASSWORD);
  work = await mkdtemp(join(tmpdir(), 'wharf-hints-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

test('the image page reads the size hints its build stored; images never built get them computed once', async () => {
  await writeFile(join(work, 'Dockerfile'), 'FROM busybox\nRUN head -c 100000 /dev/zero > /tmp/junk\nRUN rm /tmp/junk\n');
  const b = await h.api.docker(['build', '-t', 'hinted:1', work], { env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 180_000 });
  assert.equal(b.code, 0, b.stderr);
  const id = (await h.api.ok(['image', 'inspect', '-f', '{{.Id}}', 'hinted:1'])).trim();
  const r = await h.request('GET', `/api/environments/local/images/${encodeURIComponent(id)}/hints`, { cookie });
  assert.equal(r.status, 200, r.text);
  const hints = r.json();
  assert.equal(hints.layers, 3);
  assert.equal(hints.chainableRuns.length, 1);
  assert.deepEqual(hints.wasted.map((w: { path: string; size: number }) => [w.path, w.size]), [['/tmp/junk', 100000]]);
  const base = await h.request('GET', '/api/environments/local/images/busybox/hints', { cookie });
  assert.equal(base.status, 200, base.text);
  assert.equal(base.json().layers, 1);
  assert.equal((await h.request('GET', '/api/environments/local/images/nosuch/hints', { cookie })).status, 404);
  assert.equal((await h.request('GET', `/api/environments/local/images/${encodeURIComponent(id)}/hints`)).status, 401);
});
