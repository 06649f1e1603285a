import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Engine } from '../../runtime/index.ts';
import { collect, eventually, startTestEngine } from '../helpers/engine.ts';

/** Each run of these containers adds a line to /data/runs on a named volume and prints the count. */
const SCRIPT = 'echo run >> /data/runs; wc -l < /data/runs; exec sleep 1000';

async function create(engine: Engine, name: string, policy: 'always' | 'unless-stopped' | 'no'): Promise<string> {
  const c = await engine.containers.create({
    name,
    config: { Image: 'busybox', Cmd: ['sh', '-c', SCRIPT] },
    hostConfig: { Binds: [`${name}-data:/data`], RestartPolicy: { Name: policy, MaximumRetryCount: 0 } },
  });
  await engine.containers.start(c.id);
  return c.id;
}

async function lastCount(engine: Engine, id: string): Promise<number> {
  return Number((await collect(engine.containers.logs(id, {}))).trim().split('\n').at(-1));
}

test('after a SIGKILL of the engine, always and unless-stopped containers with named volumes run again; a manual stop is not undone', async (ctx) => {
  const t = await startTestEngine('restart-recover');
  // A failed assertion still takes the containers, mounts and networks away.
  ctx.after(async () => { await t.cleanup(); });
  const always = await create(t.engine, 'rr-always', 'always');
  const unlessStopped = await create(t.engine, 'rr-unless-stopped', 'unless-stopped');
  const never = await create(t.engine, 'rr-no', 'no');
  const stoppedAlways = await create(t.engine, 'rr-stopped-always', 'always');
  const stoppedUnless = await create(t.engine, 'rr-stopped-unless', 'unless-stopped');
  await t.engine.containers.stop(stoppedAlways, 1);
  await t.engine.containers.stop(stoppedUnless, 1);
  await t.engine.close();

  // An engine in its own process picks the containers up, then dies without a chance to clean up.
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/engine-process.ts')], {
    env: { ...process.env, WHARF_TEST_CONFIG: JSON.stringify(t.config) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  await eventually(() => out.includes('ready'), 'the engine process to start', 60_000);
  const gone = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await gone;

  // With no engine running, the containers die too (as on a host reboot, or an OOM of the lot).
  const runc = (...args: string[]): string => execFileSync('runc', ['--root', join(t.config.runRoot, 'runc'), ...args]).toString();
  for (const id of [always, unlessStopped, never]) runc('kill', id, 'KILL');
  for (const id of [always, unlessStopped, never]) {
    await eventually(() => {
      try { return execFileSync('cat', [join(t.config.runRoot, 'exits', id)]).toString().trim() !== ''; } catch { return false; }
    }, `conmon to record the exit of ${id}`);
  }

  const engine = await t.reopen();
  for (const id of [always, unlessStopped]) {
    await eventually(() => engine.containers.get(id).state.Status === 'running', `${id} to run again`, 60_000);
    const row = engine.containers.get(id);
    assert.equal(row.record.RestartCount, 1, 'one restart, by policy');
    // The second run found the first run's line on the named volume.
    await eventually(async () => (await lastCount(engine, id)) === 2, `${id}: the second run to see the volume's first line`, 30_000);
    assert.equal(row.record.Mounts.find((m) => m.Destination === '/data')?.Name, `${row.name}-data`);
  }
  const no = engine.containers.get(never);
  assert.equal(no.state.Status, 'exited');
  assert.equal(no.state.ExitCode, 137);
  for (const id of [stoppedAlways, stoppedUnless]) {
    assert.equal(engine.containers.get(id).state.Status, 'exited', 'stopped by hand before the engine died: stays stopped');
    assert.equal(engine.containers.get(id).record.RestartCount, 0);
  }

  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

test('a container between two restarts when the engine is killed is restarted by the next engine', async (ctx) => {
  const t = await startTestEngine('restart-pending');
  ctx.after(async () => { await t.cleanup(); });
  const c = await t.engine.containers.create({
    name: 'rp-flapping',
    config: { Image: 'busybox', Cmd: ['sh', '-c', 'echo run >> /data/runs; wc -l < /data/runs; exit 1'] },
    hostConfig: { Binds: ['rp-flapping-data:/data'], RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } },
  });
  await t.engine.containers.start(c.id);
  await eventually(() => t.engine.containers.get(c.id).record.RestartCount >= 3, 'three restarts', 60_000);
  await t.engine.close();
  // The old engine is gone with its timers; whatever the container was doing, the new one takes over.
  const engine = await t.reopen();
  const before = engine.containers.get(c.id).record.RestartCount;
  await eventually(() => engine.containers.get(c.id).record.RestartCount > before + 1, 'the new engine to go on restarting', 60_000);
  const seen = (await collect(engine.containers.logs(c.id, {}))).split('\n').filter(Boolean).map(Number);
  assert.deepEqual(seen, seen.map((_, i) => i + 1), 'every run saw the named volume with all earlier runs');
  await engine.containers.stop(c.id, 1);
  assert.equal(engine.containers.get(c.id).state.Status, 'exited');
  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});
