import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secureJoin } from '../../runtime/util/securejoin.ts';
import { InvalidArgumentError } from '../../runtime/errors.ts';

let base: string;
let root: string;

before(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'wharf-securejoin-')));
  root = join(base, 'root');
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'usr/lib'), { recursive: true });
  await writeFile(join(root, 'etc/passwd'), 'root:x:0:0\n');
  await mkdir(join(base, 'outside'));
  await symlink('/etc', join(root, 'abs-etc'));
  await symlink('../../..', join(root, 'climb'));
  await symlink('usr/lib', join(root, 'lib'));
  await symlink('../lib', join(root, 'usr/lib64'));
  await symlink('missing/deeper', join(root, 'dangling'));
  await symlink(join(base, 'outside'), join(root, 'host-outside'));
  await symlink('loop-b', join(root, 'loop-a'));
  await symlink('loop-a', join(root, 'loop-b'));
  await symlink('passwd', join(root, 'etc/self'));
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

test('plain paths join under root', async () => {
  assert.equal(await secureJoin(root, 'etc/passwd'), join(root, 'etc/passwd'));
  assert.equal(await secureJoin(root, '/etc/passwd'), join(root, 'etc/passwd'));
  assert.equal(await secureJoin(root, ''), root);
  assert.equal(await secureJoin(root, '/'), root);
  assert.equal(await secureJoin(root, './etc//./passwd'), join(root, 'etc/passwd'));
});

test('.. cannot climb above root', async () => {
  assert.equal(await secureJoin(root, '../../../etc/passwd'), join(root, 'etc/passwd'));
  assert.equal(await secureJoin(root, 'etc/../../outside'), join(root, 'outside'));
  assert.equal(await secureJoin(root, '/..'), root);
});

test('absolute symlinks are re-rooted at root', async () => {
  assert.equal(await secureJoin(root, 'abs-etc/passwd'), join(root, 'etc/passwd'));
  assert.equal(await secureJoin(root, 'host-outside/victim'), join(root, base.slice(1), 'outside/victim'));
});

test('relative symlinks resolve inside the rootfs and cannot climb out', async () => {
  assert.equal(await secureJoin(root, 'climb/etc/passwd'), join(root, 'etc/passwd'));
  assert.equal(await secureJoin(root, 'climb'), root);
  assert.equal(await secureJoin(root, 'lib/x.so'), join(root, 'usr/lib/x.so'));
  // usr/lib64 -> ../lib is relative to usr/, so it lands on root/lib -> usr/lib
  assert.equal(await secureJoin(root, 'usr/lib64/x.so'), join(root, 'usr/lib/x.so'));
  assert.equal(await secureJoin(root, 'etc/self'), join(root, 'etc/passwd'));
});

test('missing components are appended as they are', async () => {
  assert.equal(await secureJoin(root, 'nope/a/b'), join(root, 'nope/a/b'));
  assert.equal(await secureJoin(root, 'dangling'), join(root, 'missing/deeper'));
  assert.equal(await secureJoin(root, 'dangling/x'), join(root, 'missing/deeper/x'));
  assert.equal(await secureJoin(root, 'nope/../etc'), join(root, 'etc'));
  // a path through a regular file cannot exist; it still stays inside root
  assert.equal(await secureJoin(root, 'etc/passwd/x'), join(root, 'etc/passwd/x'));
});

test('symlink loops are an error, not a hang', async () => {
  await assert.rejects(secureJoin(root, 'loop-a/x'), InvalidArgumentError);
});

test('every result stays inside root', async () => {
  const tries = ['..', '../..', 'climb/../..', 'abs-etc/../../..', 'host-outside/../../..', 'lib/../../../..', '/../../x'];
  for (const p of tries) {
    const r = await secureJoin(root, p);
    assert.ok(r === root || r.startsWith(`${root}/`), `${p} resolved to ${r}`);
  }
});

test('root given with a trailing slash or relative segments', async () => {
  assert.equal(await secureJoin(`${root}/`, 'etc'), join(root, 'etc'));
  assert.equal(await secureJoin(join(root, 'etc', '..'), 'etc'), join(root, 'etc'));
});
