/**
 * Attach readers as followers of conmon's log: where they have read to is what the engine may
 * move the file behind, a file renamed over the path is read even after the exit, and a file
 * handed over when the path goes is read once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWrite, formatTimestamp, readLogs, type LogChunk, type LogReadOptions } from '../../runtime/tasks/logs/index.ts';
import { LogFile } from '../../runtime/tasks/logs/file.ts';
import { LogFollowers } from '../../runtime/tasks/logs/followers.ts';

let dir: string;
let seq = 0;
before(() => { dir = mkdtempSync(join(tmpdir(), 'wharf-logs-followers-')); });
const leftovers = new AbortController();
after(() => {
  leftovers.abort();
  rmSync(dir, { recursive: true, force: true });
});

const BASE = 1795435200_000000000n;
let tick = 0;
const rec = (data: string): Buffer =>
  encodeWrite(`${formatTimestamp(BASE + BigInt(tick++) * 1_000_000n).slice(0, -1)}+00:00`, 'stdout', Buffer.from(data));

function write(path: string, ...data: string[]): void {
  writeFileSync(path, Buffer.concat(data.map((d) => rec(d))));
}

/** As conmon starts a new file: a fresh one renamed over the path. */
function rotate(path: string, ...data: string[]): void {
  write(`${path}.tmp`, ...data);
  renameSync(`${path}.tmp`, path);
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

function follow(path: string, opts: LogReadOptions): AsyncIterator<LogChunk> {
  return readLogs(path, { follow: true, ...opts }, leftovers.signal)[Symbol.asyncIterator]();
}

async function rest(it: AsyncIterator<LogChunk>): Promise<string[]> {
  const out: string[] = [];
  for (let r = await it.next(); !r.done; r = await it.next()) out.push(r.value.data.toString());
  return out;
}

test('a follower reports the file and offset it has read; one not yet reading holds everything back', { timeout: 20_000 }, async () => {
  const path = join(dir, `ctr-${++seq}.log`);
  write(path, 'a\n', 'b\n');
  const { ino, size } = statSync(path);
  const group = new LogFollowers();
  const follower = group.join();
  assert.equal(group.readTo(ino), 0);
  assert.equal(group.allIn(ino), false);
  const exit = deferred();
  const it = follow(path, { exited: exit.promise, follower });
  assert.equal((await it.next()).value?.data.toString(), 'a\n');
  assert.deepEqual([follower.ino, follower.offset], [ino, size]);
  assert.equal(group.readTo(ino), size);
  assert.equal(group.allIn(ino), true);
  assert.equal(group.readTo(ino + 1), Infinity, 'a reader of another file does not hold this one');
  exit.resolve();
  assert.deepEqual(await rest(it), ['b\n']);
  follower.leave();
  assert.equal(group.size, 0);
  assert.equal(group.allIn(ino + 1), true);
});

test('a file renamed over the path before the exit is read after it', { timeout: 20_000 }, async () => {
  const path = join(dir, `ctr-${++seq}.log`);
  write(path, 'old\n');
  const exit = deferred();
  const it = follow(path, { exited: exit.promise });
  assert.equal((await it.next()).value?.data.toString(), 'old\n');
  rotate(path, 'new\n');
  exit.resolve();
  assert.deepEqual(await rest(it), ['new\n']);
});

test('the path gone with its container: a follower one file behind reads the file handed over, once', { timeout: 20_000 }, async () => {
  const path = join(dir, `ctr-${++seq}.log`);
  write(path, 'first\n');
  const group = new LogFollowers();
  const behind = group.join();
  const exit = deferred();
  const it = follow(path, { exited: exit.promise, follower: behind });
  assert.equal((await it.next()).value?.data.toString(), 'first\n');
  rotate(path, 'second\n', 'third\n');
  await group.handOver(() => LogFile.open(path));
  rmSync(path);
  exit.resolve();
  assert.deepEqual((await rest(it)).join(''), 'second\nthird\n');
});

test('the path gone with its container: a follower already in the last file reads nothing twice', { timeout: 20_000 }, async () => {
  const path = join(dir, `ctr-${++seq}.log`);
  write(path, 'first\n');
  const group = new LogFollowers();
  const follower = group.join();
  const exit = deferred();
  const it = follow(path, { exited: exit.promise, follower });
  assert.equal((await it.next()).value?.data.toString(), 'first\n');
  rotate(path, 'second\n');
  assert.equal((await it.next()).value?.data.toString(), 'second\n');
  await group.handOver(() => LogFile.open(path));
  assert.equal(follower.hasSuccessor, false);
  rmSync(path);
  exit.resolve();
  assert.deepEqual(await rest(it), []);
});
