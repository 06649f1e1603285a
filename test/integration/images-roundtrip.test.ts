import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { startTestEngine, collect } from '../helpers/engine.ts';

test('save then load gives the same image id, tags and a runnable image', async () => {
  const t = await startTestEngine('images');
  const { engine } = t;
  const id = engine.images.resolve('busybox').id;
  engine.images.tag('busybox', 'example.com/team/tool:1.0');
  assert.equal(engine.images.resolve('example.com/team/tool:1.0').id, id);
  assert.equal(engine.images.resolve(id.slice(7, 19)).id, id, 'short id');

  const file = join(t.config.root, 'busybox.tar');
  await engine.images.save(['busybox:latest'], createWriteStream(file));

  const untagged = await engine.images.remove('example.com/team/tool:1.0');
  assert.deepEqual(untagged, [{ Untagged: 'example.com/team/tool:1.0' }]);

  const c = await engine.containers.create({ config: { Image: 'busybox', Cmd: ['true'] } });
  await assert.rejects(engine.images.remove('busybox'), /conflict: unable to remove repository reference "busybox" \(must force\) - container [0-9a-f]{12} is using its referenced image/);
  await engine.containers.remove(c.id);
  const removed = await engine.images.remove('busybox');
  assert.deepEqual(removed, [{ Untagged: 'busybox:latest' }, { Deleted: id }]);
  assert.equal(engine.images.find('busybox'), undefined);

  const lines = await engine.images.load(createReadStream(file));
  assert.deepEqual(lines, ['Loaded image: busybox:latest']);
  assert.equal(engine.images.resolve('busybox').id, id, 'same image id after the round trip');

  const r = await engine.containers.create({ config: { Image: 'busybox', Cmd: ['echo', 'reloaded'] } });
  const waited = engine.containers.wait(r.id, 'next-exit');
  await engine.containers.start(r.id);
  assert.equal((await waited).StatusCode, 0);
  assert.equal(await collect(engine.containers.logs(r.id, {})), 'reloaded\n');

  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});
