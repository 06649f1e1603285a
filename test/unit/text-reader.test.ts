import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextReader } from '../../runtime/util/workers/text-reader.ts';

test('files asked for together are read off the loop, each answered with its own text', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-unit-text-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const names = Array.from({ length: 200 }, (_v, i) => `f${i}`);
  for (const n of names) await writeFile(join(dir, n), `${n}\n`);
  const reader = new TextReader();
  const texts = await Promise.all([...names.map((n) => reader.read(join(dir, n))), reader.read(join(dir, 'missing')), reader.read('/proc/self/stat')]);
  assert.deepEqual(texts.slice(0, 200), names.map((n) => `${n}\n`));
  assert.equal(texts[200], undefined, 'a file that cannot be read is undefined');
  assert.match(texts[201]!, /^\d+ /, 'kernel files (sizes of 0 or 4096 that say nothing) read whole');
  // A second turn, then closed: reads still answer, through the promise API.
  assert.equal(await reader.read(join(dir, 'f7')), 'f7\n');
  await reader.close();
  assert.equal(await reader.read(join(dir, 'f8')), 'f8\n');
});
