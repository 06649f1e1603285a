import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { eventually } from '../helpers/engine.ts';

/** Health checks through the stock docker CLI and dockerode, against the full server's socket. */

let h: ApiHarness;

before(async () => {
  h = await startApiServer('health');
});

after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const status = async (name: string): Promise<string> => (await h.ok(['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', name])).trim();
const psNames = async (filter: string): Promise<string[]> => (await h.ok(['ps', '--filter', filter, '--format', '{{.Names}}'])).trim().split('\n').filter(Boolean).sort();
const psStatus = async (name: string): Promise<string> => (await h.ok(['ps', '--filter', `name=^/${name}$`, '--format', '{{.Status}}'])).trim();

test('docker run --health-*: inspect, ps status and filters, health_status events', { timeout: 300_000 }, async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  await h.ok(['run', '-d', '--name', 'hc-good', '--health-cmd', 'echo alive', '--health-interval', '1s', 'busybox', 'sleep', '600']);
  await h.ok(['run', '-d', '--name', 'hc-bad', '--health-cmd', 'echo broken; exit 1', '--health-interval', '1s', '--health-retries', '2', 'busybox', 'sleep', '600']);
  await h.ok(['run', '-d', '--name', 'hc-wait', '--health-cmd', 'true', '--health-interval', '600s', 'busybox', 'sleep', '600']);
  await h.ok(['run', '-d', '--name', 'hc-plain', 'busybox', 'sleep', '600']);

  await eventually(async () => (await status('hc-good')) === 'healthy', 'hc-good healthy', 120_000);
  await eventually(async () => (await status('hc-bad')) === 'unhealthy', 'hc-bad unhealthy', 120_000);
  assert.equal(await status('hc-wait'), 'starting');
  assert.equal(await status('hc-plain'), 'none');

  const health = JSON.parse(await h.ok(['inspect', '-f', '{{json .State.Health}}', 'hc-bad'])) as { Status: string; FailingStreak: number; Log: { Start: string; End: string; ExitCode: number; Output: string }[] };
  assert.ok(health.FailingStreak >= 2);
  assert.ok(health.Log.length >= 2 && health.Log.length <= 5);
  assert.deepEqual(health.Log.map((r) => [r.ExitCode, r.Output]), health.Log.map(() => [1, 'broken\n']));
  const cfg = JSON.parse(await h.ok(['inspect', '-f', '{{json .Config.Healthcheck}}', 'hc-bad'])) as { Test: string[]; Interval: number; Retries: number };
  assert.deepEqual([cfg.Test, cfg.Interval, cfg.Retries], [['CMD-SHELL', 'echo broken; exit 1'], 1e9, 2]);

  assert.match(await psStatus('hc-good'), /^Up .* \(healthy\)$/);
  assert.match(await psStatus('hc-bad'), /^Up .* \(unhealthy\)$/);
  assert.match(await psStatus('hc-wait'), /^Up .* \(health: starting\)$/);
  assert.match(await psStatus('hc-plain'), /^Up [^(]*$/);

  assert.deepEqual(await psNames('health=healthy'), ['hc-good']);
  assert.deepEqual(await psNames('health=unhealthy'), ['hc-bad']);
  assert.deepEqual(await psNames('health=starting'), ['hc-wait']);
  assert.ok((await psNames('health=none')).includes('hc-plain'));
  assert.ok(!(await psNames('health=none')).some((n) => n.startsWith('hc-') && n !== 'hc-plain'));
  const badFilter = await h.docker(['ps', '--filter', 'health=sick']);
  assert.notEqual(badFilter.code, 0);
  assert.match(badFilter.stderr, /Unrecognised filter value for health: sick/);

  const until = Math.ceil(Date.now() / 1000) + 1;
  const events = (await h.ok(['events', '--since', String(since), '--until', String(until), '--filter', 'event=health_status', '--format', '{{.Action}} {{.Actor.Attributes.name}}'])).trim().split('\n');
  assert.ok(events.includes('health_status: healthy hc-good'), events.join('\n'));
  assert.ok(events.includes('health_status: unhealthy hc-bad'), events.join('\n'));
  assert.ok(!events.some((e) => e.endsWith('hc-wait') || e.endsWith('hc-plain')));

  // A stopped container probes no more and, as with dockerd, reads unhealthy.
  await h.ok(['stop', '-t', '1', 'hc-good']);
  assert.equal(await status('hc-good'), 'unhealthy');
  await h.ok(['rm', '-f', 'hc-good', 'hc-bad', 'hc-wait', 'hc-plain']);
});

test('a probe over its timeout is killed with what it started, and logged with dockerd\'s message', { timeout: 300_000 }, async () => {
  await h.ok(['run', '-d', '--name', 'hc-slow', '--health-cmd', 'echo started; sleep 777; true', '--health-interval', '1s', '--health-timeout', '1s', '--health-retries', '1', 'busybox', 'sleep', '600']);
  await eventually(async () => (await status('hc-slow')) === 'unhealthy', 'hc-slow unhealthy', 120_000);
  const log = JSON.parse(await h.ok(['inspect', '-f', '{{json .State.Health.Log}}', 'hc-slow'])) as { ExitCode: number; Output: string }[];
  assert.equal(log[0]!.ExitCode, -1);
  assert.equal(log[0]!.Output, 'Health check exceeded timeout (1s): started\n');
  // Three probes killed: one at a time runs, none is left behind (the shell's `sleep` included).
  await eventually(async () => (JSON.parse(await h.ok(['inspect', '-f', '{{json .State.Health.Log}}', 'hc-slow'])) as unknown[]).length >= 3, 'three timed-out probes', 120_000);
  const top = await h.ok(['top', 'hc-slow']);
  assert.ok((top.match(/sleep 777/g) ?? []).length <= 2, top);
  assert.ok((top.match(/^.*\bsleep 777$/gm) ?? []).length <= 1, top);
  await h.ok(['rm', '-f', 'hc-slow']);
});

test('dockerode: a health check with null fields takes dockerd\'s defaults and runs', { timeout: 300_000 }, async () => {
  const c = await h.dockerode.createContainer({
    name: 'hc-dockerode', Image: 'busybox', Cmd: ['sleep', '600'],
    Healthcheck: { Test: ['CMD', 'true'], Interval: 1e9, Timeout: null, Retries: null, StartPeriod: null, StartInterval: null } as never,
  });
  await c.start();
  await eventually(async () => (await c.inspect()).State.Health?.Status === 'healthy', 'healthy through dockerode', 120_000);
  const info = await c.inspect();
  assert.equal(info.State.Health!.FailingStreak, 0);
  assert.equal(info.State.Health!.Log.at(-1)!.ExitCode, 0);
  const listed = await h.dockerode.listContainers({ filters: { health: ['healthy'], name: ['hc-dockerode'] } });
  assert.deepEqual(listed.map((x) => x.Names[0]), ['/hc-dockerode']);
  await c.remove({ force: true });
});

test('an image\'s HEALTHCHECK runs; run flags override it and --no-healthcheck disables it', { timeout: 300_000 }, async () => {
  const built = await h.docker(['build', '-t', 'hc-image:1', '-'], {
    input: 'FROM busybox\nHEALTHCHECK --interval=1s --retries=1 CMD echo from-image && false\n', env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 180_000,
  });
  assert.equal(built.code, 0, built.stderr);
  await h.ok(['run', '-d', '--name', 'hc-img', 'hc-image:1', 'sleep', '600']);
  await h.ok(['run', '-d', '--name', 'hc-over', '--health-cmd', 'echo mine', 'hc-image:1', 'sleep', '600']);
  await h.ok(['run', '-d', '--name', 'hc-off', '--no-healthcheck', 'hc-image:1', 'sleep', '600']);
  await eventually(async () => (await status('hc-img')) === 'unhealthy', 'the image\'s check to fail', 120_000);
  const out = (await h.ok(['inspect', '-f', '{{(index .State.Health.Log 0).Output}}', 'hc-img'])).trim();
  assert.equal(out, 'from-image');
  // The run's command with the image's interval (1s) and retries.
  await eventually(async () => (await status('hc-over')) === 'healthy', 'the overriding check to pass', 120_000);
  assert.equal((await h.ok(['inspect', '-f', '{{(index .State.Health.Log 0).Output}}', 'hc-over'])).trim(), 'mine');
  assert.equal(await status('hc-off'), 'none');
  assert.match(await psStatus('hc-off'), /^Up [^(]*$/);
  await h.ok(['rm', '-f', 'hc-img', 'hc-over', 'hc-off']);
  await h.ok(['rmi', 'hc-image:1']);
});
