/**
 * Container sizes kept incrementally: the tree walker counts what `docker ps -s` counts, in
 * worker threads and never more at once than its size; the usage tracker walks once per burst
 * of changes, stores the figure in SQLite, and a read waits only for walks queued before it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../runtime/events/bus.ts';
import { openDatabase } from '../../runtime/metadata/db.ts';
import { UsageMetadata } from '../../runtime/metadata/usage.ts';
import { ContainerUsage } from '../../runtime/containers/usage.ts';
import type { Row } from '../../runtime/containers/context.ts';
import { TreeWalker } from '../../runtime/util/workers/pool.ts';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-unit-usage-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('the tree walker counts files and symlinks, hard links once when asked, and runs off the loop', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'a/b'), { recursive: true });
  await writeFile(join(dir, 'a/one'), Buffer.alloc(1000));
  await writeFile(join(dir, 'a/b/two'), Buffer.alloc(2000));
  await link(join(dir, 'a/b/two'), join(dir, 'a/two-again'));
  await symlink('one', join(dir, 'a/link'));
  const walker = new TreeWalker(1);
  t.after(() => walker.close());
  assert.equal(await walker.treeSize(join(dir, 'a')), 1000 + 2000 + 2000 + 3);
  assert.equal(await walker.treeSize(join(dir, 'a'), { inodes: true }), 1000 + 2000 + 3);
  assert.equal(await walker.treeSize(join(dir, 'missing')), 0);
  // One worker: three walks asked at once wait their turn; the loop stays free meanwhile.
  const walks = [walker.treeSize(dir), walker.treeSize(dir), walker.treeSize(dir)];
  assert.equal(walker.pending, 3);
  let turned = false;
  setImmediate(() => { turned = true; });
  const sizes = await Promise.all(walks);
  assert.ok(turned, 'the loop turned while the walks ran');
  assert.deepEqual(sizes, [5003, 5003, 5003]);
  assert.equal(walker.pending, 0);
});

test('sizes follow the engine events, are stored in SQLite and survive a new tracker', async (t) => {
  const dir = await tempDir(t);
  const db = openDatabase(join(dir, 'wharf.db'));
  t.after(async () => db.close());
  const upper = join(dir, 'upper');
  await mkdir(upper);
  db.prepare('INSERT INTO containers (id, name, image_id, record, state, created) VALUES (?, ?, ?, ?, ?, ?)')
    .run('c1', 'one', 'img', JSON.stringify({ SnapshotKey: 'c1' }), JSON.stringify({ Running: false, FinishedAt: '0001-01-01T00:00:00Z' }), 0);
  const row = (): Row => {
    const r = db.prepare('SELECT * FROM containers WHERE id = ?').get('c1') as { id: string; name: string; image_id: string; record: string; state: string; created: number } | undefined;
    assert.ok(r);
    return ({ id: r.id, name: r.name, imageId: r.image_id, record: JSON.parse(r.record), state: JSON.parse(r.state), created: r.created } as Row);
  };
  let walks = 0;
  const real = new TreeWalker(1);
  t.after(() => real.close());
  const walker = { treeSize: (d: string) => { walks++; return real.treeSize(d); }, pending: 0 } as unknown as TreeWalker;
  const events = new EventBus();
  const make = () => new ContainerUsage({ usage: new UsageMetadata(db), find: () => row(), all: () => [row()], upperDir: () => upper, volumePath: () => upper, events, walker });

  const usage = make();
  usage.start();
  await usage.sizeRw([row()]);
  assert.equal(walks, 1, 'a container without a figure is measured once at start');

  await writeFile(join(upper, 'f'), Buffer.alloc(4096));
  // A burst of changes: one walk runs, one more is queued behind it, the rest coalesce.
  for (const action of ['start', 'exec_die', 'exec_die', 'die']) events.publish('container', action, 'c1');
  assert.equal((await usage.sizeRw([row()])).get('c1'), 4096);
  assert.equal(walks, 3);
  events.publish('container', 'rename', 'c1');
  assert.equal((await usage.sizeRw([row()])).get('c1'), 4096);
  assert.equal(walks, 3, 'an event that changes no file walks nothing');
  usage.stop();

  const again = make();
  again.start();
  assert.equal((await again.sizeRw([row()])).get('c1'), 4096);
  assert.equal(walks, 3, 'the stored figure is used after a restart');
  again.stop();
  db.prepare('DELETE FROM containers WHERE id = ?').run('c1');
  assert.equal(new UsageMetadata(db).get('c1'), undefined, 'the figure goes with its container');
});
