import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ContentStore } from '../../runtime/content/store.ts';
import { openDatabase, schemaVersion } from '../../runtime/metadata/db.ts';
import { MIGRATIONS } from '../../runtime/metadata/migrations.ts';
import { sha256 } from '../../runtime/util/digest.ts';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-unit-content-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('a blob becomes visible only after its digest and size are verified', async (t) => {
  const dir = await tempDir(t);
  const store = new ContentStore(dir);
  await store.init();
  const data = Buffer.from('hello layer');
  const good = sha256(data);
  await assert.rejects(store.ingest(Readable.from([data]), { digest: sha256('other') }), /digest mismatch/);
  await assert.rejects(store.ingest(Readable.from([data]), { digest: good, size: 3 }), /size mismatch/);
  assert.equal(await store.has(good), false, 'nothing visible after failed ingests');
  assert.deepEqual(await readdir(join(dir, 'ingest')), [], 'failed ingests leave no partial file');
  const r = await store.ingest(Readable.from([data]), { digest: good, size: data.length });
  assert.deepEqual(r, { digest: good, size: data.length });
  assert.deepEqual(await store.readBuffer(good), data);
  assert.deepEqual(await store.list(), [good]);
});

test('partial ingests left by a crash are removed at start', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'ingest'), { recursive: true });
  await writeFile(join(dir, 'ingest', 'half-written'), 'partial');
  const store = new ContentStore(dir);
  await store.init();
  assert.deepEqual(await readdir(join(dir, 'ingest')), []);
});

test('the metadata schema is versioned and migrations run once', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'wharf.db');
  const db = openDatabase(path);
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.prepare("INSERT INTO volumes (name, driver, labels, options, created) VALUES ('v', 'local', '{}', '{}', 0)").run();
  db.close();
  const again = openDatabase(path);
  assert.equal(schemaVersion(again), MIGRATIONS.length);
  assert.equal((again.prepare('SELECT count(*) AS n FROM volumes').get() as { n: number }).n, 1, 'data kept across reopen');
  again.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  again.close();
  assert.throws(() => openDatabase(path), /newer than this Wharf understands/);
});
