/**
 * When the engine has conmon start a new log file for a `none` container: past the attach
 * buffer, once every attach reader reads the current file, or anyway once the file is past the
 * lag limit. Sparse files stand in for conmon's output.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ATTACH_BUFFER, keepAttachBuffer } from '../../runtime/containers/attach-buffer.ts';
import { ChangeWaiter } from '../../runtime/tasks/logs/follow.ts';
import { Ticker } from '../../runtime/util/ticker.ts';
import { LAG_LIMIT, LogFollowers } from '../../runtime/tasks/logs/followers.ts';

let dir: string;
let seq = 0;
before(() => { dir = mkdtempSync(join(tmpdir(), 'wharf-attach-buffer-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

/** Runs the keeper over a file of `size` bytes for `looks` looks at it, and counts its requests for a new file. */
async function keep(size: number, followers: LogFollowers | undefined, looks = 3): Promise<number> {
  const path = join(dir, `ctr-${++seq}.log`);
  writeFileSync(path, '');
  truncateSync(path, size);
  const ac = new AbortController();
  let exit!: () => void;
  const exited = new Promise<void>((r) => { exit = r; });
  // The keeper waits once after each look: the last wait ends the run.
  class Counting extends ChangeWaiter {
    private waits = 0;
    override wait(): Promise<void> {
      if (++this.waits >= looks) exit();
      return super.wait();
    }
  }
  const waiter = new Counting(path, { exited, poll: new Ticker(5), signal: ac.signal });
  let reopened = 0;
  await keepAttachBuffer(path, () => followers, async () => { reopened++; }, waiter, ac.signal);
  waiter.close();
  return reopened;
}

test('nobody attached: a file past the buffer gets one request for a new file, however often it is looked at', async () => {
  assert.equal(await keep(ATTACH_BUFFER + 1, undefined), 1);
  assert.equal(await keep(ATTACH_BUFFER + 1, new LogFollowers()), 1);
});

test('a file within the buffer is left alone', async () => {
  assert.equal(await keep(ATTACH_BUFFER, undefined), 0);
});

test('a reader still in an older file, or not reading yet, holds the new file back', async () => {
  const group = new LogFollowers();
  group.join().at(1, 0);
  assert.equal(await keep(2 * ATTACH_BUFFER, group), 0);
  const notYet = new LogFollowers();
  notYet.join();
  assert.equal(await keep(2 * ATTACH_BUFFER, notYet), 0);
});

test('past the lag limit the reader behind no longer holds the disk', async () => {
  const group = new LogFollowers();
  group.join().at(1, 0);
  assert.equal(await keep(LAG_LIMIT + 1, group), 1);
});
