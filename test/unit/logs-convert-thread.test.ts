import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { encodeWrite, formatTimestamp } from '../../runtime/tasks/logs/index.ts';
import { ConvertThread } from '../../runtime/tasks/logs/convert-thread.ts';

let dir: string;
let seq = 0;
before(() => { dir = mkdtempSync(join(tmpdir(), 'wharf-convert-thread-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

const BASE = 1795435200_000000000n;
const LIMITS = { maxSize: -1, maxFiles: 1 };

/** conmon's k8s-file records of lines `from`..`to`. */
function records(from: number, to: number): Buffer {
  return Buffer.concat(Array.from({ length: to - from + 1 }, (_, i) =>
    encodeWrite(formatTimestamp(BASE + BigInt(from + i) * 1_000_000n), 'stdout', Buffer.from(`line ${from + i}\n`))));
}

function paths(): { source: string; target: string; state: string } {
  const n = ++seq;
  const p = { source: join(dir, `${n}-ctr.log`), target: join(dir, `${n}-json.log`), state: join(dir, `${n}-state`) };
  writeFileSync(p.source, '');
  return p;
}

const converted = (target: string): string[] =>
  readFileSync(target, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { log: string }).log.trim());
const expected = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

test('conversions run in a worker thread, each container resuming where it stood', async () => {
  const thread = new ConvertThread();
  const a = paths();
  const b = paths();
  appendFileSync(a.source, records(1, 500));
  appendFileSync(b.source, records(1, 3));
  const [ra, rb] = await Promise.all([thread.convert('a', a, LIMITS), thread.convert('b', b, LIMITS)]);
  assert.notEqual(ra.threadId, threadId, 'converted off the event loop\'s thread');
  assert.equal(rb.threadId, ra.threadId, 'one worker for every container');
  assert.equal(ra.converted?.srcOffset, readFileSync(a.source).length);
  appendFileSync(a.source, records(501, 600));
  await thread.convert('a', a, LIMITS);
  assert.deepEqual(converted(a.target), expected(1, 600));
  assert.deepEqual(converted(b.target), expected(1, 3));
  await thread.close('a');
  await thread.close('b');
  await thread.shutdown();
});

test('a worker lost while converting: the container goes on here, nothing lost or repeated', async () => {
  const thread = new ConvertThread({ source: new URL('../helpers/workers/convert-lost.ts', import.meta.url).href, bundled: '' });
  const p = paths();
  appendFileSync(p.source, records(1, 1000));
  const first = await thread.convert('c', p, LIMITS);
  assert.equal(first.threadId, threadId);
  appendFileSync(p.source, records(1001, 1200));
  const second = await thread.convert('c', p, LIMITS);
  assert.equal(second.threadId, threadId, 'the container stays on this thread');
  assert.deepEqual(converted(p.target), expected(1, 1200));
  await thread.close('c');
  await thread.shutdown();
});

test('a worker that cannot start leaves every conversion to this thread', async () => {
  const thread = new ConvertThread({ source: new URL('../helpers/workers/convert-broken.ts', import.meta.url).href, bundled: '' });
  const p = paths();
  appendFileSync(p.source, records(1, 50));
  const r = await thread.convert('d', p, LIMITS);
  assert.equal(r.threadId, threadId);
  assert.deepEqual(converted(p.target), expected(1, 50));
  await thread.close('d');
  await thread.shutdown();
});
