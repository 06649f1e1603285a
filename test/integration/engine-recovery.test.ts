import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startTestEngine, collect, eventually } from '../helpers/engine.ts';

test('containers survive SIGKILL of the engine process and are picked up again', async () => {
  const t = await startTestEngine('recover');
  await t.engine.close();
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/engine-process.ts')], {
    env: { ...process.env, WHARF_TEST_CONFIG: JSON.stringify(t.config), WHARF_TEST_RUN: '3' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const ids = await eventually(() => {
    const m = /ready (\[.*\])/.exec(out);
    return m ? (JSON.parse(m[1]!) as string[]) : undefined;
  }, 'the engine process to start three containers', 60_000);
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;

  const runcList = execFileSync('runc', ['--root', join(t.config.runRoot, 'runc'), 'list', '--format', 'json']).toString();
  const states = JSON.parse(runcList) as { id: string; status: string }[];
  for (const id of ids) assert.equal(states.find((s) => s.id === id)?.status, 'running', 'still running after the engine died');

  const engine = await t.reopen();
  for (const id of ids) assert.equal(engine.containers.get(id).state.Status, 'running');
  const before = (await collect(engine.containers.logs(ids[0]!, {}))).split('\n').length;
  await eventually(async () => (await collect(engine.containers.logs(ids[0]!, {}))).split('\n').length > before + 3, 'the log to go on');

  // Exits that happen after the restart are seen by the new engine.
  const waited = engine.containers.wait(ids[1]!);
  await engine.containers.kill(ids[1]!, 'KILL');
  assert.equal((await waited).StatusCode, 137);
  await engine.containers.stop(ids[0]!, 1);
  assert.equal(engine.containers.get(ids[0]!).state.Status, 'exited');

  // A container that exits while no engine runs is recorded as exited on the next boot.
  await engine.close();
  execFileSync('runc', ['--root', join(t.config.runRoot, 'runc'), 'kill', ids[2]!, 'KILL']);
  await eventually(() => {
    try { return execFileSync('cat', [join(t.config.runRoot, 'exits', ids[2]!)]).toString().trim() !== ''; } catch { return false; }
  }, 'conmon to record the exit');
  const again = await t.reopen();
  const s = again.containers.get(ids[2]!).state;
  assert.equal(s.Status, 'exited');
  assert.equal(s.ExitCode, 137);

  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});
