/**
 * The mount checks on a container's start path against real mounts: an overlay rootfs and a
 * network namespace file are seen without reading the mount table, a plain directory or file
 * is not; a bind mount within one filesystem needs (and gets) the mount table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasForeignMount, isMountPoint, mountAt, unmount } from '../../runtime/mount/mount.ts';
import { run } from '../../runtime/util/exec.ts';

test('an overlay and a namespace file are told from a plain directory and file by their device', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-mountcheck-'));
  const rootfs = join(dir, 'rootfs');
  const netns = join(dir, 'netns');
  const bound = join(dir, 'bound');
  await Promise.all(['lower', 'upper', 'work', 'rootfs', 'bound'].map((d) => mkdir(join(dir, d))));
  await writeFile(netns, '');
  t.after(async () => {
    for (const p of [rootfs, netns, bound]) await unmount(p).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  assert.equal(await hasForeignMount(rootfs), false);
  assert.equal(await hasForeignMount(netns), false);
  assert.equal(await hasForeignMount(join(dir, 'missing')), false);

  await mountAt({ type: 'overlay', source: 'overlay', cwd: dir, options: ['lowerdir=lower', 'upperdir=upper', 'workdir=work'] }, rootfs);
  await run('unshare', [`--net=${netns}`, 'true']);
  assert.equal(await hasForeignMount(rootfs), true, 'an overlay rootfs');
  assert.equal(await hasForeignMount(netns), true, 'a namespace bind-mounted on its file');
  assert.equal(await isMountPoint(rootfs), true, 'the mount table agrees');

  // A bind mount within one filesystem keeps the device: only the mount table shows it.
  await mountAt({ type: 'bind', source: join(dir, 'lower'), options: [] }, bound);
  assert.equal(await hasForeignMount(bound), false);
  assert.equal(await isMountPoint(bound), true);

  await unmount(rootfs);
  await unmount(netns);
  assert.equal(await hasForeignMount(rootfs), false);
  assert.equal(await hasForeignMount(netns), false);
});
