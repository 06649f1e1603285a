import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { run } from '../../runtime/util/exec.ts';
import { spawnHelper, spawnMethod } from '../../runtime/util/spawn/index.ts';
import { spawnWorker } from '../../runtime/util/workers/spawn.ts';
import { PosixSpawner, type PosixSpawnAddon } from '../../runtime/util/spawn/posix.ts';

const SH = (script: string) => ['-c', script] as const;

test('helper processes start with posix_spawn, not a fork of the engine', () => {
  assert.equal(spawnMethod, 'posix_spawn');
});

test('a helper gets its input, environment and directory; its output, errors and exit come back', async () => {
  const r = await run('sh', SH('cat; echo "[$X]"; pwd; echo oops >&2; exit 3'), { input: 'in\n', env: { PATH: '/usr/bin:/bin', X: 'y z' }, cwd: '/tmp', allowFail: true });
  assert.deepEqual(r, { code: 3, stdout: 'in\n[y z]\n/tmp\n', stderr: 'oops\n' });
  await assert.rejects(run('sh', SH('echo bad >&2; exit 2')), /sh -c echo bad >&2; exit 2 failed \(exit 2\): bad/);
  const killed = await run('sh', SH('kill -9 $$'), { allowFail: true });
  assert.equal(killed.code, 128);
  await assert.rejects(run('wharf-no-such-command', []), /cannot run wharf-no-such-command: spawn wharf-no-such-command ENOENT/);
  // Found in the PATH of the environment given, as execvp does.
  const dir = mkdtempSync(join(tmpdir(), 'wharf-spawn-'));
  try {
    writeFileSync(join(dir, 'wharf-hello'), '#!/bin/sh\necho hello\n', { mode: 0o755 });
    assert.equal((await run('wharf-hello', [], { env: { PATH: `${dir}:/usr/bin:/bin` } })).stdout, 'hello\n');
    await assert.rejects(run('wharf-hello', []), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a helper inherits no descriptor, no ignored signal and no blocked signal of the engine', async () => {
  // The shell's descriptors; grep's own signal state (a shell waiting for a command blocks signals).
  const r = await run('sh', SH('ls /proc/$$/fd; grep -E "^Sig(Ign|Blk)" /proc/self/status'));
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines.filter((l) => /^\d+$/.test(l)).sort(), ['0', '1', '2'], 'only stdin, stdout and stderr');
  const mask = (name: string) => BigInt(`0x${lines.find((l) => l.startsWith(name))!.split(/\s+/)[1]}`);
  // Node ignores SIGPIPE (13); a helper writing to a closed pipe must die of it as usual.
  assert.equal(mask('SigIgn:') & (1n << 12n), 0n, 'SIGPIPE at its default');
  assert.equal(mask('SigBlk:'), 0n);
});

test('every helper that exits is reaped', async () => {
  const pids = await Promise.all(Array.from({ length: 20 }, async () => Number((await run('sh', SH('echo $$'))).stdout)));
  for (const pid of pids) assert.equal(existsSync(`/proc/${pid}`), false, `process ${pid} is gone, not a zombie`);
});

test('a monitor answers with its first line on fd 3, in its own session, and is not waited for', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-spawn-'));
  const fifo = join(dir, 'hold');
  try {
    await run('mkfifo', [fifo]);
    // It reports, then waits for the test: an answer that waited for its exit would never come.
    const script = `echo warming >&2; echo "$$ $(cut -d' ' -f6 /proc/$$/stat)" >&3; read x < ${fifo}; echo "$x" > ${fifo}.done`;
    const r = await spawnHelper({ file: 'sh', args: SH(script), env: { ...process.env }, syncLine: true });
    assert.ok(!('error' in r));
    const [pid, sid] = r.line!.split(' ');
    assert.equal(sid, pid, 'a session leader');
    assert.equal(r.stderr, 'warming\n');
    const w = await open(fifo, 'w');
    await w.write('released\n');
    await w.close();
    while (!existsSync(`${fifo}.done`)) await new Promise((res) => setTimeout(res, 10));
    const closed = await spawnHelper({ file: 'sh', args: SH('echo gone >&2; exit 1'), env: { ...process.env }, syncLine: true });
    assert.deepEqual(closed, { code: 0, stdout: '', stderr: 'gone\n', line: undefined });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('worker threads, which cannot watch SIGCHLD, start helpers with Node\'s child_process', async () => {
  const w = spawnWorker(import.meta.url, { source: '../helpers/workers/spawn-in-worker.ts', bundled: 'none' });
  const [m] = await once(w, 'message') as [{ method: string; code: number; stdout: string }];
  await w.terminate();
  assert.deepEqual(m, { method: 'fork', code: 4, stdout: 'from a worker\n' });
});

test('out of descriptors, a start fails with the reason and leaves no pipe open', async () => {
  const real = createRequire(import.meta.url)('wharf-posix-spawn') as PosixSpawnAddon;
  let pipes = 0;
  const spawner = new PosixSpawner({ ...real, pipe: () => {
    if (++pipes === 2) throw Object.assign(new Error('pipe2'), { code: 'EMFILE' });
    return real.pipe();
  } });
  const before = (await readdir('/proc/self/fd')).length;
  const r = await spawner.spawn({ file: 'true', args: [], env: { ...process.env } });
  assert.deepEqual(r, { error: { message: 'spawn true EMFILE', code: 'EMFILE' } });
  // The first pipe's two ends are closed (through the thread pool: wait for it).
  let open = (await readdir('/proc/self/fd')).length;
  for (let i = 0; i < 100 && open > before; i++) {
    await new Promise((res) => setTimeout(res, 10));
    open = (await readdir('/proc/self/fd')).length;
  }
  assert.equal(open, before);
});

test('helpers started at once from the thread pool each get their own descriptors and nothing else', async () => {
  // The spawns run concurrently on pool threads while the engine opens the next ones' pipes:
  // each child must hold only its own three descriptors, and its output must come back to it.
  const runs = await Promise.all(Array.from({ length: 40 }, (_, i) => run('sh', SH(`read x; echo "$x"; ls /proc/$$/fd`), { input: `in ${i}\n` })));
  runs.forEach((r, i) => assert.equal(r.stdout, `in ${i}\n0\n1\n2\n`, `helper ${i}`));
});
