import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readlinkSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWrite, formatTimestamp, readLogs, type LogChunk, type LogReadOptions } from '../../runtime/tasks/logs/index.ts';

let dir: string;
let seq = 0;
before(() => { dir = mkdtempSync(join(tmpdir(), 'wharf-logs-follow-')); });
// Ends any follow a failed test left waiting, so the run can exit.
const leftovers = new AbortController();
after(() => {
  leftovers.abort();
  rmSync(dir, { recursive: true, force: true });
});

const BASE = 1795435200_000000000n; // 2026-11-23T12:00:00Z
let tick = 0;
/** conmon-style records for one read, each call one ms later than the last. */
const rec = (data: string, stream: 'stdout' | 'stderr' = 'stdout'): Buffer =>
  encodeWrite(`${formatTimestamp(BASE + BigInt(tick++) * 1_000_000n).slice(0, -1)}+00:00`, stream, Buffer.from(data));

function newLog(...data: string[]): string {
  const path = join(dir, `ctr-${++seq}.log`);
  writeFileSync(path, Buffer.concat(data.map((d) => rec(d))));
  return path;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

function follow(path: string, opts: LogReadOptions = {}, signal?: AbortSignal): AsyncIterator<LogChunk> {
  const both = signal ? AbortSignal.any([signal, leftovers.signal]) : leftovers.signal;
  return readLogs(path, { follow: true, ...opts }, both)[Symbol.asyncIterator]();
}

async function nextText(it: AsyncIterator<LogChunk>): Promise<string | undefined> {
  const r = await it.next();
  return r.done ? undefined : r.value.data.toString();
}

/** Open descriptors of this process that refer to `path`. */
function fdsOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try { return readlinkSync(`/proc/self/fd/${fd}`) === path; } catch { return false; }
  }).length;
}

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('follow picks up appended lines and stops once exited has resolved and the file is drained', { timeout: 20_000 }, async () => {
  const path = newLog('first\n');
  const exit = deferred();
  const it = follow(path, { exited: exit.promise });
  assert.equal(await nextText(it), 'first\n');
  const pending = nextText(it);
  appendFileSync(path, rec('second\n'));
  assert.equal(await pending, 'second\n');
  appendFileSync(path, rec('last words\n', 'stderr'));
  exit.resolve();
  assert.equal(await nextText(it), 'last words\n');
  assert.equal(await nextText(it), undefined);
  assert.equal(fdsOn(path), 0);
});

test('follow ends quietly when the signal aborts while waiting', { timeout: 20_000 }, async () => {
  const path = newLog('only\n');
  const ac = new AbortController();
  const it = follow(path, {}, ac.signal);
  assert.equal(await nextText(it), 'only\n');
  const pending = it.next();
  ac.abort();
  assert.equal((await pending).done, true);
  assert.equal(fdsOn(path), 0);
});

test('breaking out of for-await closes the file and stops the poll timer', { timeout: 20_000 }, async () => {
  const path = newLog('a\n', 'b\n');
  const baseline = timers();
  const seen: string[] = [];
  for await (const c of readLogs(path, { follow: true }, leftovers.signal)) {
    seen.push(c.data.toString());
    assert.equal(fdsOn(path), 1);
    if (seen.length === 2) break;
  }
  assert.deepEqual(seen, ['a\n', 'b\n']);
  assert.equal(fdsOn(path), 0);
  assert.equal(timers(), baseline);
});

test('a torn last record is returned only once its newline is written', { timeout: 20_000 }, async () => {
  const path = newLog('whole\n');
  const torn = rec('hello\n');
  appendFileSync(path, torn.subarray(0, torn.length - 4));
  const exit = deferred();
  const it = follow(path, { exited: exit.promise });
  assert.equal(await nextText(it), 'whole\n');
  const pending = nextText(it);
  appendFileSync(path, torn.subarray(torn.length - 4));
  assert.equal(await pending, 'hello\n');
  exit.resolve();
  assert.equal(await nextText(it), undefined);
});

test('follow with tail starts from the last lines, then streams new ones', { timeout: 20_000 }, async () => {
  const path = newLog('1\n', '2\n', '3\n');
  const exit = deferred();
  const it = follow(path, { tail: 1, exited: exit.promise });
  assert.equal(await nextText(it), '3\n');
  appendFileSync(path, rec('4\n'));
  assert.equal(await nextText(it), '4\n');
  exit.resolve();
  assert.equal(await nextText(it), undefined);
});

test('follow with tail 0 shows only what is written after it started', { timeout: 20_000 }, async () => {
  const path = newLog('old\n');
  const exit = deferred();
  // A zero-byte read means the reader has reached the end; only then is a write "new".
  const atEnd = deferred();
  const it = follow(path, { tail: 0, exited: exit.promise, onRead: (n) => { if (n === 0) atEnd.resolve(); } });
  const pending = nextText(it);
  await atEnd.promise;
  appendFileSync(path, rec('new\n'));
  assert.equal(await pending, 'new\n');
  exit.resolve();
  assert.equal(await nextText(it), undefined);
});

test('a stopped container (isRunning false) is read to the end without waiting', { timeout: 20_000 }, async () => {
  const path = newLog('x\n', 'y\n');
  const got: string[] = [];
  for await (const c of readLogs(path, { follow: true, isRunning: async () => false }, leftovers.signal)) got.push(c.data.toString());
  assert.deepEqual(got, ['x\n', 'y\n']);
});

test('follow stops at the first record after until', { timeout: 20_000 }, async () => {
  tick = 0;
  const path = newLog('t0\n', 't1\n', 't2\n');
  const got: string[] = [];
  for await (const c of readLogs(path, { follow: true, untilNs: BASE + 1_000_000n }, leftovers.signal)) got.push(c.data.toString());
  assert.deepEqual(got, ['t0\n', 't1\n']);
});

test('a truncated file is read again from its start', { timeout: 20_000 }, async () => {
  const path = newLog('a fairly long line before truncation\n', 'another one\n');
  const exit = deferred();
  const it = follow(path, { exited: exit.promise });
  assert.equal(await nextText(it), 'a fairly long line before truncation\n');
  assert.equal(await nextText(it), 'another one\n');
  const pending = nextText(it);
  truncateSync(path, 0);
  appendFileSync(path, rec('fresh\n'));
  assert.equal(await pending, 'fresh\n');
  exit.resolve();
  assert.equal(await nextText(it), undefined);
});

test('a rotated file (renamed over) is drained, then followed from its start', { timeout: 20_000 }, async () => {
  const path = newLog('old 1\n');
  const exit = deferred();
  const it = follow(path, { exited: exit.promise });
  assert.equal(await nextText(it), 'old 1\n');
  appendFileSync(path, rec('old 2\n'));
  writeFileSync(`${path}.tmp`, rec('new 1\n'));
  renameSync(`${path}.tmp`, path);
  assert.equal(await nextText(it), 'old 2\n');
  assert.equal(await nextText(it), 'new 1\n');
  appendFileSync(path, rec('new 2\n'));
  assert.equal(await nextText(it), 'new 2\n');
  exit.resolve();
  assert.equal(await nextText(it), undefined);
  assert.equal(fdsOn(path), 0);
});

test('following a log that does not exist yet waits for it to appear', { timeout: 20_000 }, async () => {
  const path = join(dir, `ctr-${++seq}.log`);
  const exit = deferred();
  const it = follow(path, { exited: exit.promise });
  const pending = nextText(it);
  writeFileSync(path, rec('born\n'));
  assert.equal(await pending, 'born\n');
  exit.resolve();
  assert.equal(await nextText(it), undefined);
});
