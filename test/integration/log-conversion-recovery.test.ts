import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestEngine, collect, eventually } from '../helpers/engine.ts';

const LINES = 30_000;

test('json-file conversion resumes after an engine SIGKILL without losing or repeating a line', { timeout: 600_000 }, async () => {
  // Small files so the kill is likely to fall between an append, its commit and a rotation;
  // enough of them that nothing is rotated away.
  const t = await startTestEngine('logkill', { logConfig: { Type: 'json-file', Config: { 'max-size': '64k', 'max-file': '100' } } });
  after(() => t.cleanup());
  await t.engine.close();
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/engine-process.ts')], {
    env: {
      ...process.env,
      WHARF_TEST_CONFIG: JSON.stringify(t.config),
      WHARF_TEST_RUN: '1',
      WHARF_TEST_SCRIPT: `i=0; while [ $i -lt ${LINES} ]; do echo tick $i; i=$((i+1)); [ $((i % 500)) = 0 ] && sleep 0.05; done; true`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const [id] = await eventually(() => {
    const m = /ready (\[.*\])/.exec(out);
    return m ? (JSON.parse(m[1]!) as string[]) : undefined;
  }, 'the engine process to start the container', 120_000);
  const dir = join(t.config.root, 'containers', id!);
  // Killed while it converts (the container writes for seconds more; what it writes while no
  // engine runs waits in conmon's file for the next boot).
  await eventually(async () => (await readdir(dir)).some((f) => f.endsWith('-json.log.1')), 'a first rotation', 120_000);
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;

  const engine = await t.reopen();
  const code = await engine.containers.wait(id!);
  assert.equal(code.StatusCode, 0);
  const expected = Array.from({ length: LINES }, (_, i) => `tick ${i}`);
  const logs = (await collect(engine.containers.logs(id!, {}))).trim().split('\n');
  assert.equal(logs.length, LINES, 'every line once');
  assert.deepEqual(logs, expected);

  // The files themselves: Docker's entries, each line exactly once across the rotated set.
  const files = (await readdir(dir)).filter((f) => f.startsWith(`${id}-json.log`));
  const index = (f: string): number => (f.endsWith('.log') ? 0 : Number(f.slice(f.lastIndexOf('.') + 1)));
  files.sort((a, b) => index(b) - index(a));
  assert.ok(files.length > 2, `rotated into ${files.length} files`);
  const entries: string[] = [];
  for (const f of files) {
    for (const l of (await readFile(join(dir, f), 'utf8')).trim().split('\n')) entries.push((JSON.parse(l) as { log: string }).log);
  }
  assert.deepEqual(entries, expected.map((l) => `${l}\n`));

  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});
