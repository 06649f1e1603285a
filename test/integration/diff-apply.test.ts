import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { applyLayer, type ApplyOptions } from '../../runtime/diff/apply.ts';
import { changes, computeDiff } from '../../runtime/diff/compute.ts';
import { InvalidArgumentError } from '../../runtime/errors.ts';

type Entry = Partial<tar.Header> & { name: string; pax?: Record<string, string>; data?: string | Buffer };

const bases: string[] = [];
const mounts: string[] = [];

after(async () => {
  for (const m of mounts.reverse()) execFileSync('umount', [m], { stdio: 'ignore' });
  for (const b of bases) await rm(b, { recursive: true, force: true });
});

async function tempBase(): Promise<string> {
  const b = await realpath(await mkdtemp(join(tmpdir(), 'wharf-diff-')));
  bases.push(b);
  return b;
}

async function makeTar(entries: Entry[], padTo = 0): Promise<Buffer> {
  const pack = tar.pack();
  const out = (async () => {
    const chunks: Buffer[] = [];
    for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
    return Buffer.concat(chunks);
  })();
  for (const { data, ...header } of entries) {
    await new Promise<void>((resolve, reject) => pack.entry(header, data ?? '', (e) => (e ? reject(e) : resolve())));
  }
  pack.finalize();
  const buf = await out;
  return padTo > buf.length ? Buffer.concat([buf, Buffer.alloc(padTo - buf.length)]) : buf;
}

const apply = (buf: Buffer, root: string, opts?: ApplyOptions) => applyLayer(Readable.from([buf]), root, opts);
const T = new Date('2020-02-02T02:02:02Z');
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function mountOverlay(lower: string[], upper: string | null, work: string | null, target: string): void {
  const opts = [`lowerdir=${lower.join(':')}`];
  if (upper && work) opts.push(`upperdir=${upper}`, `workdir=${work}`);
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', opts.join(','), target]);
  mounts.push(target);
}

function umount(target: string): void {
  execFileSync('umount', [target]);
  mounts.splice(mounts.indexOf(target), 1);
}

/** A comparable picture of a tree: type, mode, owner, size, content hash, link target, mtime of non-directories. */
async function describe(dir: string, withDirTimes = false): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function visit(d: string, rel: string): Promise<void> {
    for (const name of (await readdir(d)).sort()) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = await lstat(p);
      const kind = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isFile() ? 'f' : st.isCharacterDevice() ? 'c' : 'o';
      let extra = '';
      if (st.isFile()) extra = sha(await readFile(p));
      if (st.isSymbolicLink()) extra = await readlink(p);
      if (st.isCharacterDevice()) extra = String(st.rdev);
      const time = !st.isDirectory() || withDirTimes ? String(Math.floor(st.mtimeMs / 1000)) : '';
      out[r] = `${kind} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${st.isFile() ? st.size : ''} ${extra} ${time}`;
      if (st.isDirectory()) await visit(p, r);
    }
  }
  await visit(dir, '');
  return out;
}

/** cap_net_raw+ep as a VFS_CAP_REVISION_2 xattr. */
const CAP_NET_RAW = '0x0100000200200000000000000000000000000000';
const capabilityOf = (p: string) =>
  /security\.capability=(0x[0-9a-f]+)/.exec(execFileSync('getfattr', ['-h', '-e', 'hex', '-n', 'security.capability', p]).toString())?.[1];

/** A fresh layout for hostile archives: the layer root and, beside it, a victim that must survive. */
async function victimSetup() {
  const base = await tempBase();
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(join(outside, 'sub'), { recursive: true });
  const victim = join(outside, 'victim');
  await writeFile(victim, 'precious\n');
  await utimes(victim, T, T);
  await utimes(join(outside, 'sub'), T, T);
  await utimes(outside, T, T);
  const xattrsOf = () => execFileSync('getfattr', ['-R', '-h', '-d', '-m', '-', '--absolute-names', outside]).toString();
  const before = await describe(outside, true);
  const attrsBefore = xattrsOf();
  const check = async () => {
    assert.equal(await readFile(victim, 'utf8'), 'precious\n');
    assert.equal((await lstat(victim)).nlink, 1, 'no hardlink to the victim');
    assert.deepEqual(await describe(outside, true), before, 'nothing outside root may change');
    assert.deepEqual((await readdir(base)).sort(), ['outside', 'root'], 'nothing new beside root');
    assert.equal(xattrsOf(), attrsBefore, 'no xattrs set outside root');
  };
  return { base, root, outside, victim, check };
}

/** Apply a hostile layer: rejection is fine, so is confinement; the victim must be untouched either way. */
async function applyHostile(buf: Buffer, root: string): Promise<unknown> {
  try {
    await apply(buf, root);
    return null;
  } catch (e) {
    assert.ok(e instanceof InvalidArgumentError, `unexpected error ${String(e)}`);
    return e;
  }
}

test('applies files, directories, symlinks, hardlinks and devices with their metadata', async () => {
  const root = join(await tempBase(), 'root');
  await mkdir(root);
  const buf = await makeTar([
    { name: 'etc/', type: 'directory', mode: 0o755, mtime: T },
    { name: 'etc/passwd', mode: 0o644, uid: 0, gid: 0, mtime: T, data: 'root:x:0:0\n' },
    { name: 'bin/', type: 'directory', mode: 0o755, uid: 0, gid: 0, mtime: T },
    { name: 'bin/su', mode: 0o4755, uid: 0, gid: 0, mtime: T, data: 'setuid' },
    { name: 'bin/wall', mode: 0o2755, uid: 0, gid: 5, mtime: T, data: 'setgid' },
    { name: 'bin/sulink', type: 'link', linkname: 'bin/su', mode: 0o4755, uid: 0, gid: 0 },
    { name: 'tmp/', type: 'directory', mode: 0o1777, mtime: T },
    { name: 'home/app/', type: 'directory', mode: 0o750, uid: 1000, gid: 1001, mtime: T },
    { name: 'home/app/data', mode: 0o600, uid: 1000, gid: 1001, mtime: T, data: 'x'.repeat(300_000) },
    { name: 'home/app/link', type: 'symlink', linkname: '../../etc/passwd', uid: 1000, gid: 1001, mtime: T },
    { name: 'home/app/abs', type: 'symlink', linkname: '/etc/passwd', mtime: T },
    { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666, mtime: T },
    { name: 'run/fifo', type: 'fifo', mode: 0o600, mtime: T },
    { name: 'xattr', mode: 0o644, mtime: T, pax: { 'SCHILY.xattr.user.color': 'blue', 'SCHILY.xattr.trusted.overlay.opaque': 'y' }, data: 'x' },
    { name: `${'long/'.repeat(40)}name-${'n'.repeat(150)}`, mode: 0o644, mtime: T, data: 'deep' },
  ]);
  await apply(buf, root);

  const st = (p: string) => lstat(join(root, p));
  assert.equal(await readFile(join(root, 'etc/passwd'), 'utf8'), 'root:x:0:0\n');
  assert.equal(((await st('bin/su')).mode & 0o7777), 0o4755);
  assert.equal(((await st('bin/wall')).mode & 0o7777), 0o2755);
  assert.equal((await st('bin/wall')).gid, 5);
  assert.equal(((await st('tmp')).mode & 0o7777), 0o1777);
  assert.equal((await st('bin/sulink')).ino, (await st('bin/su')).ino);
  assert.equal((await st('bin/su')).nlink, 2);
  const home = await st('home/app');
  assert.deepEqual([home.mode & 0o7777, home.uid, home.gid], [0o750, 1000, 1001]);
  const data = await st('home/app/data');
  assert.deepEqual([data.mode & 0o7777, data.uid, data.gid, data.size], [0o600, 1000, 1001, 300_000]);
  assert.equal(await readlink(join(root, 'home/app/link')), '../../etc/passwd');
  assert.equal((await st('home/app/link')).uid, 1000);
  assert.equal(await readlink(join(root, 'home/app/abs')), '/etc/passwd');
  assert.ok((await st('dev/null')).isCharacterDevice());
  assert.equal((await st('dev/null')).rdev, 259);
  assert.ok((await st('run/fifo')).isFIFO());
  assert.equal(await readFile(join(root, `${'long/'.repeat(40)}name-${'n'.repeat(150)}`), 'utf8'), 'deep');
  // Directory times are set after their children were written, so they are the archive's.
  for (const p of ['etc', 'bin', 'tmp', 'home/app', 'etc/passwd', 'home/app/link']) {
    assert.equal((await st(p)).mtime.getTime(), T.getTime(), p);
  }
  const attrs = execFileSync('getfattr', ['-h', '-d', '-m', '-', join(root, 'xattr')]).toString();
  assert.match(attrs, /user\.color="blue"/);
  assert.doesNotMatch(attrs, /trusted\.overlay/);
});

test('diffID is the sha256 of every uncompressed byte, gzip or not', async () => {
  const base = await tempBase();
  const plain = await makeTar([{ name: 'a', mode: 0o644, data: 'hello' }], 10240); // padded past end-of-archive like GNU tar
  const expected = { diffID: sha(plain), size: plain.length };
  await mkdir(join(base, 'p'));
  await mkdir(join(base, 'g'));
  assert.deepEqual(await apply(plain, join(base, 'p')), expected);
  assert.deepEqual(await apply(gzipSync(plain), join(base, 'g')), expected);
  assert.equal(await readFile(join(base, 'g/a'), 'utf8'), 'hello');
});

test('zstd and corrupt layers are refused', async () => {
  const base = await tempBase();
  await assert.rejects(apply(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]), base), /zstd layers are not supported/);
  const good = await makeTar([{ name: 'a', mode: 0o644, data: 'x'.repeat(5000) }]);
  await assert.rejects(apply(good.subarray(0, 1500), base), InvalidArgumentError);
  await assert.rejects(apply(gzipSync(good).subarray(0, 60), base), InvalidArgumentError);
  await assert.rejects(apply(Buffer.alloc(600, 7), base), InvalidArgumentError);
});

test('whiteouts and opaque directories hide lower content through a real overlay mount', async () => {
  const base = await tempBase();
  const [l1, l2, merged] = ['l1', 'l2', 'merged'].map((d) => join(base, d)) as [string, string, string];
  for (const d of [l1, l2, merged]) await mkdir(d);
  await apply(await makeTar([
    { name: 'etc/', type: 'directory', mode: 0o755 },
    { name: 'etc/a', mode: 0o644, data: 'a' },
    { name: 'etc/b', mode: 0o644, data: 'b' },
    { name: 'gone/', type: 'directory', mode: 0o755 },
    { name: 'gone/x', mode: 0o644, data: 'x' },
    { name: 'opq/', type: 'directory', mode: 0o755 },
    { name: 'opq/old', mode: 0o644, data: 'old' },
    { name: 'opq/sub/old2', mode: 0o644, data: 'old2' },
    { name: 'redo/', type: 'directory', mode: 0o755 },
    { name: 'redo/old', mode: 0o644, data: 'old' },
    { name: 'redo2/', type: 'directory', mode: 0o755 },
    { name: 'redo2/old', mode: 0o644, data: 'old' },
    { name: 'file', mode: 0o644, data: 'v1' },
  ]), l1);
  await apply(await makeTar([
    { name: 'etc/.wh.a', mode: 0o644 },
    { name: '.wh.gone', mode: 0o644 },
    { name: 'opq/', type: 'directory', mode: 0o755 },
    { name: 'opq/.wh..wh..opq', mode: 0o644 },
    { name: 'opq/new', mode: 0o644, data: 'new' },
    // The same layer deletes and re-adds a path, in both orders: the new one must survive.
    { name: '.wh.redo', mode: 0o644 },
    { name: 'redo/', type: 'directory', mode: 0o700 },
    { name: 'redo/new', mode: 0o644, data: 'new' },
    { name: 'redo2/', type: 'directory', mode: 0o700 },
    { name: 'redo2/new', mode: 0o644, data: 'new' },
    { name: '.wh.redo2', mode: 0o644 },
    { name: 'file', mode: 0o644, data: 'v2' },
    { name: '.wh.file', mode: 0o644 },
    { name: 'nothere/.wh.ghost', mode: 0o644 },
  ]), l2);

  const wh = await lstat(join(l2, 'etc/a'));
  assert.ok(wh.isCharacterDevice() && wh.rdev === 0, 'etc/a is an overlay whiteout');
  mountOverlay([l2, l1], null, null, merged);
  try {
    assert.deepEqual((await readdir(join(merged, 'etc'))).sort(), ['b']);
    await assert.rejects(lstat(join(merged, 'gone')), { code: 'ENOENT' });
    assert.deepEqual((await readdir(join(merged, 'opq'))).sort(), ['new']);
    assert.deepEqual((await readdir(join(merged, 'redo'))).sort(), ['new']);
    assert.deepEqual((await readdir(join(merged, 'redo2'))).sort(), ['new']);
    assert.equal(await readFile(join(merged, 'file'), 'utf8'), 'v2');
    await assert.rejects(lstat(join(merged, 'nothere/ghost')), { code: 'ENOENT' });
  } finally {
    umount(merged);
  }
});

test('directories a layer needs but does not list take their attributes from the layers below', async () => {
  const base = await tempBase();
  const [l1, l2, merged] = ['l1', 'l2', 'merged'].map((d) => join(base, d)) as [string, string, string];
  for (const d of [l1, l2, merged]) await mkdir(d);
  await apply(await makeTar([
    { name: 'var/', type: 'directory', mode: 0o755, mtime: T },
    { name: 'var/lib/', type: 'directory', mode: 0o750, uid: 7, gid: 8, mtime: T },
    { name: 'var/lib/foo', mode: 0o644, data: 'foo' },
  ]), l1);
  await apply(await makeTar([
    { name: 'var/lib/.wh.foo', mode: 0o644 },
    { name: 'var/lib/new', mode: 0o644, data: 'new' },
    { name: 'srv/new', mode: 0o644, data: 'new' }, // nothing below to inherit from
  ]), l2, { lowerDirs: [l1] });
  mountOverlay([l2, l1], null, null, merged);
  try {
    const st = await lstat(join(merged, 'var/lib'));
    assert.deepEqual([st.mode & 0o7777, st.uid, st.gid, st.mtime.getTime()], [0o750, 7, 8, T.getTime()]);
    assert.deepEqual(await readdir(join(merged, 'var/lib')), ['new']);
    assert.equal((await lstat(join(merged, 'var'))).mtime.getTime(), T.getTime());
    assert.equal((await lstat(join(merged, 'srv'))).mode & 0o7777, 0o755);
  } finally {
    umount(merged);
  }
});

test('hostile: entry names that climb out or are absolute are refused', async () => {
  const { root, victim, check } = await victimSetup();
  for (const name of ['../outside/victim', 'a/../../outside/victim', victim, `/${victim}`]) {
    const err = await applyHostile(await makeTar([{ name, mode: 0o644, data: 'pwned' }]), root);
    assert.ok(err instanceof InvalidArgumentError, `${name} must be refused`);
    assert.match(String(err), /escapes|absolute/);
  }
  await check();
});

test('hostile: a planted symlink never leads a later entry outside root', async () => {
  const { root, outside, check } = await victimSetup();
  const layers: Entry[][] = [
    [{ name: 'link', type: 'symlink', linkname: outside }, { name: 'link/victim', mode: 0o644, data: 'pwned' }],
    [{ name: 'up', type: 'symlink', linkname: '../../..' }, { name: `up${outside}/victim`, mode: 0o644, data: 'pwned' }],
    [{ name: 'up2', type: 'symlink', linkname: '..' }, { name: 'up2/outside/victim', mode: 0o644, data: 'pwned' }],
    [{ name: 'l3', type: 'symlink', linkname: outside }, { name: 'l3/sub/', type: 'directory', mode: 0o700 }, { name: 'l3/new/deep', mode: 0o644, data: 'x' }],
    [{ name: 'l4', type: 'symlink', linkname: outside }, { name: 'l4/.wh.victim', mode: 0o644 }, { name: 'l4/.wh.sub', mode: 0o644 }],
    [{ name: 'l5', type: 'symlink', linkname: outside }, { name: 'l5/.wh..wh..opq', mode: 0o644 }],
    [{ name: 'l6', type: 'symlink', linkname: `${outside}/victim` }, { name: 'l6', mode: 0o644, data: 'pwned' }],
    [{ name: 'l7', type: 'symlink', linkname: outside }, { name: 'l7/victim', type: 'link', linkname: 'etc/passwd' }],
    [{ name: 'l8', type: 'symlink', linkname: outside }, { name: 'l8/sub', type: 'symlink', linkname: '/' }],
  ];
  for (const [i, entries] of layers.entries()) {
    await applyHostile(await makeTar(entries), root);
    await check();
    // Confined, not lost: an absolute link target means a path inside the rootfs.
    if (i === 0) assert.equal(await readFile(join(root, outside, 'victim'), 'utf8'), 'pwned');
  }
});

test('hostile: deferred work (directory times, whiteouts, xattrs) follows a parent replaced by a symlink', async () => {
  const { root, outside, check } = await victimSetup();
  await applyHostile(await makeTar([
    { name: 'a/', type: 'directory', mode: 0o755 },
    { name: 'a/sub/', type: 'directory', mode: 0o700, mtime: new Date('2001-01-01T00:00:00Z') },
    { name: 'a/.wh.newthing', mode: 0o644 },
    { name: 'a/victim', mode: 0o644, pax: { 'SCHILY.xattr.user.evil': '1' }, data: 'x' },
    { name: 'a/.wh..wh..opq', mode: 0o644 },
    { name: 'a', type: 'symlink', linkname: outside },
  ]), root);
  await check();
});

test('hostile: hardlinks to paths outside root are refused and cannot be written through', async () => {
  const { root, victim, check } = await victimSetup();
  await symlink(join(victim, '..'), join(root, 's'));
  await symlink(victim, join(root, 'sv'));
  const targets = [victim, '../outside/victim', 'x/../../outside/victim', `.${victim}`, 's/victim'];
  for (const linkname of targets) {
    // Alone first (a link to the victim must not exist, even briefly), then followed by a write through it.
    await applyHostile(await makeTar([{ name: 'hl', type: 'link', linkname }]), root);
    await check();
    await applyHostile(await makeTar([
      { name: 'hl', type: 'link', linkname },
      { name: 'hl', mode: 0o644, data: 'pwned' },
    ]), root);
    await check();
  }
  // A hardlink to a symlink links the symlink itself, which stays a symlink; writing the name replaces it.
  await apply(await makeTar([{ name: 'hl3', type: 'link', linkname: 'sv' }]), root);
  assert.ok((await lstat(join(root, 'hl3'))).isSymbolicLink());
  await apply(await makeTar([{ name: 'hl3', mode: 0o644, data: 'mine' }]), root);
  assert.equal(await readFile(join(root, 'hl3'), 'utf8'), 'mine');
  await check();
});

test('hostile: an existing symlink is replaced, never written through', async () => {
  const { root, outside, victim, check } = await victimSetup();
  await symlink(victim, join(root, 'f'));
  await symlink(outside, join(root, 'd'));
  await symlink(victim, join(root, 'dev'));
  await apply(await makeTar([
    { name: 'f', mode: 0o600, data: 'mine' },
    { name: 'd/', type: 'directory', mode: 0o700 },
    { name: 'd/x', mode: 0o644, data: 'x' },
    { name: 'dev', type: 'fifo', mode: 0o600 },
  ]), root);
  await check();
  const f = await lstat(join(root, 'f'));
  assert.ok(f.isFile());
  assert.equal(await readFile(join(root, 'f'), 'utf8'), 'mine');
  assert.ok((await lstat(join(root, 'd'))).isDirectory());
  assert.deepEqual(await readdir(join(root, 'd')), ['x']);
  assert.ok((await lstat(join(root, 'dev'))).isFIFO());
});

test('existing entries are replaced with Docker semantics', async () => {
  const root = join(await tempBase(), 'root');
  await mkdir(join(root, 'dir/sub'), { recursive: true });
  await writeFile(join(root, 'dir/sub/f'), 'old');
  await writeFile(join(root, 'file'), 'old');
  await mkdir(join(root, 'keep'));
  await writeFile(join(root, 'keep/old'), 'old');
  await apply(await makeTar([
    { name: 'dir', mode: 0o644, data: 'now a file' },
    { name: 'file/child', mode: 0o644, data: 'file became a directory' },
    { name: 'keep/', type: 'directory', mode: 0o700 },
    { name: 'keep/new', mode: 0o644, data: 'new' },
  ]), root);
  assert.equal(await readFile(join(root, 'dir'), 'utf8'), 'now a file');
  assert.equal(await readFile(join(root, 'file/child'), 'utf8'), 'file became a directory');
  assert.deepEqual((await readdir(join(root, 'keep'))).sort(), ['new', 'old']);
  assert.equal((await lstat(join(root, 'keep'))).mode & 0o777, 0o700);
});

test('round trip: computeDiff of an overlay upper, applied onto a copy of the lower, gives the merged tree', async () => {
  const base = await tempBase();
  const [lower, upper, work, merged, copy, upper2, merged2] = ['lower', 'upper', 'work', 'merged', 'copy', 'upper2', 'merged2']
    .map((d) => join(base, d)) as [string, string, string, string, string, string, string];
  for (const d of [lower, upper, work, merged, upper2, merged2]) await mkdir(d);
  await apply(await makeTar([
    { name: 'etc/', type: 'directory', mode: 0o755, mtime: T },
    { name: 'etc/hosts', mode: 0o644, mtime: T, data: '127.0.0.1 localhost\n' },
    { name: 'etc/motd', mode: 0o644, mtime: T, data: 'hi\n' },
    { name: 'var/', type: 'directory', mode: 0o755, mtime: T },
    { name: 'var/cache/', type: 'directory', mode: 0o755, mtime: T },
    { name: 'var/cache/a', mode: 0o644, mtime: T, data: 'a' },
    { name: 'var/cache/b/c', mode: 0o644, mtime: T, data: 'c' },
    { name: 'opt/', type: 'directory', mode: 0o755, mtime: T },
    { name: 'opt/tool', mode: 0o755, mtime: T, data: 'tool' },
    { name: 'usr/', type: 'directory', mode: 0o755, mtime: T },
    { name: 'usr/bin/', type: 'directory', mode: 0o755, mtime: T },
    { name: 'usr/bin/sh', mode: 0o755, mtime: T, data: 'sh' },
  ]), lower);

  mountOverlay([lower], upper, work, merged);
  const sh = (script: string) => execFileSync('sh', ['-c', script], { cwd: merged });
  sh([
    'printf "10.0.0.1 db\\n" >> etc/hosts', // modify
    'rm etc/motd', // delete a file
    'rm -rf var/cache && mkdir var/cache && echo fresh > var/cache/new', // opaque directory
    'rm -rf opt', // delete a directory
    'mkdir -p srv/app && echo app > srv/app/main && ln srv/app/main srv/app/hard', // add, with a hardlink
    'ln -s ../srv/app/main usr/bin/app', // symlink
    'echo su > usr/bin/su && chown 0:5 usr/bin/su && chmod 4750 usr/bin/su', // setuid
    `echo ping > usr/bin/ping && setfattr -n security.capability -v ${CAP_NET_RAW} usr/bin/ping`, // file capability
    `mkdir -p ${'deep/'.repeat(30)} && echo deep > ${'deep/'.repeat(30)}${'f'.repeat(200)}`, // long names
  ].join(' && '));
  const want = await describe(merged);
  const got = await changes([lower], upper);
  umount(merged);

  assert.deepEqual(got.filter((c) => !c.Path.startsWith('/deep/')).map((c) => `${c.Kind} ${c.Path}`), [
    '0 /etc', '0 /etc/hosts', '2 /etc/motd', '1 /deep',
    '2 /opt',
    '1 /srv', '1 /srv/app', '1 /srv/app/hard', '1 /srv/app/main',
    '0 /usr/bin', '1 /usr/bin/app', '1 /usr/bin/ping', '1 /usr/bin/su',
    '0 /var', '0 /var/cache', '2 /var/cache/a', '2 /var/cache/b', '1 /var/cache/new',
  ].sort((a, b) => (a.slice(2) < b.slice(2) ? -1 : 1)));

  const diff = async () => {
    const chunks: Buffer[] = [];
    for await (const c of computeDiff([lower], upper)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const layer = await diff();
  assert.ok(layer.equals(await diff()), 'computeDiff is deterministic');

  const names: string[] = [];
  const extract = tar.extract();
  Readable.from([layer]).pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    names.push(entry.header.name.replace(/\/$/, ''));
    entry.resume();
  }
  for (const n of ['var/cache', 'var/cache/.wh..wh..opq', 'etc/.wh.motd', '.wh.opt', 'srv/app/hard']) assert.ok(names.includes(n), n);
  names.forEach((n, i) => {
    const parent = n.slice(0, n.lastIndexOf('/'));
    if (n.includes('/')) assert.ok(names.indexOf(parent) >= 0 && names.indexOf(parent) < i, `${parent} before ${n}`);
  });
  assert.deepEqual(names.filter((n) => !n.includes('/')), ['deep', 'etc', '.wh.opt', 'srv', 'usr', 'var'], 'siblings sorted, whiteouts in their place');

  execFileSync('cp', ['-a', lower, copy]);
  await apply(layer, copy, { whiteouts: 'remove' });
  assert.deepEqual(await describe(copy), want);
  assert.equal((await lstat(join(copy, 'srv/app/main'))).ino, (await lstat(join(copy, 'srv/app/hard'))).ino);
  assert.equal(capabilityOf(join(copy, 'usr/bin/ping')), CAP_NET_RAW);

  // The same layer unpacked as an overlay layer of its own shows the same tree.
  await apply(layer, upper2);
  mountOverlay([upper2, lower], null, null, merged2);
  try {
    assert.deepEqual(await describe(merged2), want);
    assert.equal(capabilityOf(join(merged2, 'usr/bin/ping')), CAP_NET_RAW);
  } finally {
    umount(merged2);
  }
});

test('changes of an empty upper are empty; computeDiff of it is an empty archive', async () => {
  const base = await tempBase();
  await mkdir(join(base, 'lower'));
  await mkdir(join(base, 'upper'));
  assert.deepEqual(await changes([join(base, 'lower')], join(base, 'upper')), []);
  const chunks: Buffer[] = [];
  for await (const c of computeDiff([join(base, 'lower')], join(base, 'upper'))) chunks.push(c as Buffer);
  assert.deepEqual(Buffer.concat(chunks), Buffer.alloc(1024));
});
