import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../runtime/metadata/db.ts';
import { ContainerMetadata } from '../../runtime/metadata/containers.ts';

interface Rec { Cmd: string[] }
interface St { Status: string }

async function dbPath(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-unit-ctrmeta-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'meta.db');
}

test('container rows are served from memory yet every write is in SQLite first', async (t) => {
  const path = await dbPath(t);
  const db = openDatabase(path);
  const meta = new ContainerMetadata<Rec, St>(db);
  meta.insert('a1', 'alpha', 'img', { Cmd: ['true'] }, { Status: 'created' });
  meta.insert('b2', 'beta', 'img', { Cmd: ['sh'] }, { Status: 'created' });
  meta.setState('a1', { Status: 'running' });
  meta.setRecord('b2', 'gamma', { Cmd: ['sh', '-c', 'x'] });
  assert.equal(meta.get('a1')!.state.Status, 'running');
  assert.equal(meta.byName('beta'), undefined, 'the old name is free after a rename');
  assert.deepEqual(meta.byName('gamma')!.record.Cmd, ['sh', '-c', 'x']);
  assert.ok(Object.isFrozen(meta.get('a1')!.state), 'shared rows are frozen');
  // Newest first; rows created in the same millisecond keep their insertion order reversed.
  assert.deepEqual(meta.all().map((r) => r.id), ['b2', 'a1']);
  // A write SQLite refuses changes nothing in memory either.
  assert.throws(() => meta.insert('c3', 'alpha', 'img', { Cmd: [] }, { Status: 'created' }), /UNIQUE/);
  assert.equal(meta.get('c3'), undefined);
  assert.equal(meta.byName('alpha')!.id, 'a1');
  meta.delete('a1');
  assert.equal(meta.get('a1'), undefined);
  assert.equal(meta.byName('alpha'), undefined);
  db.close();

  // A new engine over the same file reads what the first one wrote.
  const again = new ContainerMetadata<Rec, St>(openDatabase(path));
  assert.deepEqual(again.all().map((r) => [r.id, r.name, r.state.Status, r.record.Cmd]), [['b2', 'gamma', 'created', ['sh', '-c', 'x']]]);
  again.insert('d4', 'delta', 'img2', { Cmd: [] }, { Status: 'created' });
  assert.deepEqual(again.all().map((r) => r.id), ['d4', 'b2']);
  assert.deepEqual(again.imageUsers('img2'), ['d4']);
});
