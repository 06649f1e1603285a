import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { startTestEngine, eventually, type TestEngine } from '../helpers/engine.ts';
import type { EngineEvent } from '../../runtime/index.ts';

const S = 1e9;

/** Host processes whose command line mentions `marker`: a probe left behind would show here. */
function processesWith(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args']).toString().split('\n');
  return out.filter((l) => l.includes(marker) && !l.includes('ps -eo'));
}

async function run(t: TestEngine, name: string, Healthcheck: object): Promise<string> {
  const c = await t.engine.containers.create({ name, config: { Image: 'busybox', Cmd: ['sleep', '600'], Healthcheck } });
  await t.engine.containers.start(c.id);
  return c.id;
}

test('health checks: probes run as execs, statuses move as dockerd moves them, events and log follow', async (ctx) => {
  const t = await startTestEngine('health');
  ctx.after(() => t.cleanup());
  const events: EngineEvent[] = [];
  const unsubscribe = t.engine.events.subscribe((e) => { if (e.Action.startsWith('health_status')) events.push(e); });
  try {
    // Healthy once the file exists: starting first, then healthy, with the probe's output logged.
    const ok = await run(t, 'hc-ok', { Test: ['CMD-SHELL', 'test -e /tmp/ready && echo fine'], Interval: S, Retries: 100 });
    assert.equal(t.engine.containers.get(ok).state.Health?.Status, 'starting');
    await eventually(() => (t.engine.containers.get(ok).state.Health?.Log.length ?? 0) >= 1, 'a first probe', 60_000);
    assert.equal(t.engine.containers.get(ok).state.Health?.Status, 'starting', 'failures below the retries keep it starting');
    const exec = t.engine.containers.createExec(ok, { Cmd: ['touch', '/tmp/ready'] });
    await (await t.engine.containers.exec.start(exec.ID)).exited;
    await eventually(() => t.engine.containers.get(ok).state.Health?.Status === 'healthy', 'healthy', 60_000);
    const h = t.engine.containers.get(ok).state.Health!;
    assert.equal(h.FailingStreak, 0);
    const last = h.Log.at(-1)!;
    assert.equal(last.ExitCode, 0);
    assert.equal(last.Output, 'fine\n');
    assert.ok(Date.parse(last.Start) <= Date.parse(last.End));

    // CMD (no shell) that fails: unhealthy after `Retries` failures in a row; the log keeps five.
    const bad = await run(t, 'hc-bad', { Test: ['CMD', 'sh', '-c', 'echo nope; exit 3'], Interval: S, Retries: 2 });
    await eventually(() => t.engine.containers.get(bad).state.Health?.Status === 'unhealthy', 'unhealthy', 60_000);
    assert.ok(t.engine.containers.get(bad).state.Health!.FailingStreak >= 2);
    await eventually(() => (t.engine.containers.get(bad).state.Health?.Log.length ?? 0) === 5 && t.engine.containers.get(bad).state.Health!.FailingStreak >= 6, 'six failures', 90_000);
    assert.deepEqual(t.engine.containers.get(bad).state.Health!.Log.map((r) => [r.ExitCode, r.Output]), Array(5).fill([3, 'nope\n']));

    // A probe that outlives its timeout is killed inside the container and counts as a failure.
    const slow = await run(t, 'hc-slow', { Test: ['CMD', 'sleep', '7777'], Interval: S, Timeout: S, Retries: 1 });
    await eventually(() => t.engine.containers.get(slow).state.Health?.Status === 'unhealthy', 'the slow probe to time out', 60_000);
    const r = t.engine.containers.get(slow).state.Health!.Log[0]!;
    assert.equal(r.ExitCode, -1);
    assert.equal(r.Output, 'Health check exceeded timeout (1s)');

    // Events: one per status change, with dockerd's action strings.
    await eventually(() => events.some((e) => e.Actor.ID === slow), 'the slow container\'s event');
    assert.deepEqual(events.filter((e) => e.Actor.ID === ok).map((e) => e.Action), ['health_status: healthy']);
    assert.deepEqual(events.filter((e) => e.Actor.ID === bad).map((e) => e.Action), ['health_status: unhealthy']);
    assert.equal(events.find((e) => e.Actor.ID === bad)!.Actor.Attributes.name, 'hc-bad');

    // A stopped container runs no probe and has no probe process left (dockerd: unhealthy while stopped).
    await t.engine.containers.stop(slow, 1);
    const stopped = t.engine.containers.get(slow).state.Health!;
    assert.equal(stopped.Status, 'unhealthy');
    assert.deepEqual(processesWith('sleep 7777'), []);
    await new Promise((res) => setTimeout(res, 2500));
    assert.equal(t.engine.containers.get(slow).state.Health!.Log.length, stopped.Log.length, 'no probe after the stop');

    // A start begins again at `starting` with a fresh streak.
    await t.engine.containers.start(slow);
    const again = t.engine.containers.get(slow).state.Health!;
    assert.equal(again.Status, 'starting');
    assert.equal(again.FailingStreak, 0);

    // NONE disables the check (and so does an image without one): no health at all.
    const none = await run(t, 'hc-none', { Test: ['NONE'] });
    await new Promise((res) => setTimeout(res, 1500));
    assert.equal(t.engine.containers.get(none).state.Health, undefined);
  } finally {
    unsubscribe();
  }
  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
  assert.deepEqual(processesWith('sleep 7777'), []);
});

test('health checks: start period and start interval, invalid values refused at create', async (ctx) => {
  const t = await startTestEngine('health-cfg');
  ctx.after(() => t.cleanup());
  await assert.rejects(t.engine.containers.create({ config: { Image: 'busybox', Healthcheck: { Test: ['CMD', 'true'], Interval: 1000 } } }), /Interval in Healthcheck cannot be less than 1ms/);
  await assert.rejects(t.engine.containers.create({ config: { Image: 'busybox', Healthcheck: { Test: ['CMD', 'true'], Retries: -1 } } }), /Retries in Healthcheck cannot be negative/);
  // Failures inside the start period do not count: with retries 1 it stays `starting`,
  // probed at the start interval, until a probe succeeds.
  const id = await run(t, 'hc-start', { Test: ['CMD-SHELL', 'test -e /tmp/up'], Interval: 600 * S, StartPeriod: 600 * S, StartInterval: S, Retries: 1 });
  await eventually(() => (t.engine.containers.get(id).state.Health?.Log.length ?? 0) >= 2, 'two probes at the start interval', 60_000);
  const h = t.engine.containers.get(id).state.Health!;
  assert.equal(h.Status, 'starting');
  assert.equal(h.FailingStreak, 0);
  const exec = t.engine.containers.createExec(id, { Cmd: ['touch', '/tmp/up'] });
  await (await t.engine.containers.exec.start(exec.ID)).exited;
  await eventually(() => t.engine.containers.get(id).state.Health?.Status === 'healthy', 'healthy', 60_000);
  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

test('health survives an engine restart and probing resumes for running containers', async (ctx) => {
  const t = await startTestEngine('health-boot');
  ctx.after(() => t.cleanup());
  const id = await run(t, 'hc-boot', { Test: ['CMD-SHELL', 'echo probe'], Interval: S });
  await eventually(() => t.engine.containers.get(id).state.Health?.Status === 'healthy', 'healthy', 60_000);
  await t.engine.close();
  const engine = await t.reopen();
  const h = engine.containers.get(id).state.Health!;
  assert.equal(h.Status, 'healthy', 'the status is kept across the restart');
  const before = h.Log.at(-1)!.End;
  await eventually(() => {
    const log = engine.containers.get(id).state.Health!.Log;
    return log.length > 0 && Date.parse(log.at(-1)!.Start) > Date.parse(before);
  }, 'a probe after the restart', 60_000);
  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

test('health survives SIGKILL of the engine process; the next engine keeps probing', async (ctx) => {
  const t = await startTestEngine('health-kill');
  ctx.after(() => t.cleanup());
  await t.engine.close();
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/engine-process.ts')], {
    env: { ...process.env, WHARF_TEST_CONFIG: JSON.stringify(t.config), WHARF_TEST_RUN: '1', WHARF_TEST_HEALTH: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const id = await eventually(() => /health_status: healthy (\w+)/.exec(out)?.[1], 'the engine process to see its container healthy', 120_000);
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;

  const engine = await t.reopen();
  const h = engine.containers.get(id).state.Health!;
  assert.equal(h.Status, 'healthy');
  assert.ok(h.Log.length >= 1);
  assert.equal(h.Log.at(-1)!.Output, 'probed\n');
  const lastBefore = h.Log.at(-1)!.Start;
  await eventually(() => Date.parse(engine.containers.get(id).state.Health!.Log.at(-1)!.Start) > Date.parse(lastBefore), 'a probe by the new engine', 60_000);
  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});
