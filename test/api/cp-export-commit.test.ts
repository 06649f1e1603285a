import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

let h: ApiHarness;
interface ImageConfig { created: string; author?: string; rootfs: { diff_ids: string[] }; history?: object[] }
const ok = (args: string[]): Promise<string> => h.ok(args);
let work: string;
let running: string;

before(async () => {
  h = await startApiServer('cp');
  work = await mkdtemp(join(tmpdir(), 'wharf-cp-test-'));
  await mkdir(join(work, 'bind'));
  const c = await h.dockerode.createContainer({ name: 'cp-main', Image: 'busybox', Cmd: ['sleep', '1000'], HostConfig: { Binds: [`${join(work, 'bind')}:/data`] } });
  await c.start();
  running = c.id;
});

after(async () => {
  const left = await h.close();
  await rm(work, { recursive: true, force: true });
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function request(method: string, path: string, body?: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method, path, headers: body ? { 'Content-Type': 'application/x-tar', 'Content-Length': body.length } : {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function makeTar(entries: (Partial<tar.Header> & { name: string; data?: string })[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const { data, ...header } of entries) pack.entry(header, data ?? '');
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

async function sh(container: string, script: string): Promise<string> {
  const r = await h.docker(['exec', container, 'sh', '-c', script]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test('docker cp copies a file and a directory into a running container', async () => {
  await writeFile(join(work, 'file.txt'), 'file data\n');
  await mkdir(join(work, 'dir/nested'), { recursive: true });
  await writeFile(join(work, 'dir/nested/x'), 'x\n');
  assert.equal((await h.docker(['cp', join(work, 'file.txt'), 'cp-main:/tmp/'])).code, 0);
  const d = await h.docker(['cp', join(work, 'dir'), 'cp-main:/tmp/copied']);
  assert.equal(d.code, 0, d.stderr);
  assert.equal(await sh('cp-main', 'cat /tmp/file.txt /tmp/copied/nested/x'), 'file data\nx\n');
});

test('docker cp copies a file and a directory out of a running container', async () => {
  await sh('cp-main', 'mkdir -p /srv/out/sub && echo inside > /srv/out/sub/f && echo single > /srv/one');
  const dir = await h.docker(['cp', 'cp-main:/srv/out', join(work, 'out')]);
  assert.equal(dir.code, 0, dir.stderr);
  assert.equal(await readFile(join(work, 'out/sub/f'), 'utf8'), 'inside\n');
  assert.equal((await h.docker(['cp', 'cp-main:/srv/out/.', join(work, 'contents')])).code, 0);
  assert.equal(await readFile(join(work, 'contents/sub/f'), 'utf8'), 'inside\n');
  assert.equal((await h.docker(['cp', 'cp-main:/', join(work, 'whole')])).code, 0);
  assert.equal(await readFile(join(work, 'whole/srv/one'), 'utf8'), 'single\n');
  assert.equal((await h.docker(['cp', 'cp-main:/srv/one', join(work, 'one.txt')])).code, 0);
  assert.equal(await readFile(join(work, 'one.txt'), 'utf8'), 'single\n');
  const missing = await h.docker(['cp', 'cp-main:/no/such/file', join(work, 'nothing')]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /Could not find the file \/no\/such\/file in container cp-main/);
});

test('docker cp follows the container\'s bind mounts', async () => {
  await writeFile(join(work, 'to-bind.txt'), 'via bind\n');
  assert.equal((await h.docker(['cp', join(work, 'to-bind.txt'), 'cp-main:/data/'])).code, 0);
  assert.equal(await readFile(join(work, 'bind/to-bind.txt'), 'utf8'), 'via bind\n');
  await writeFile(join(work, 'bind/from-host.txt'), 'host side\n');
  assert.equal((await h.docker(['cp', 'cp-main:/data/from-host.txt', join(work, 'from-bind.txt')])).code, 0);
  assert.equal(await readFile(join(work, 'from-bind.txt'), 'utf8'), 'host side\n');
});

test('docker cp works on a stopped container, both ways', async () => {
  const c = await h.dockerode.createContainer({ name: 'cp-stopped', Image: 'busybox', Cmd: ['cat', '/copied-in.txt'] });
  await writeFile(join(work, 'in.txt'), 'into stopped\n');
  const r = await h.docker(['cp', join(work, 'in.txt'), 'cp-stopped:/copied-in.txt']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await h.docker(['cp', 'cp-stopped:/copied-in.txt', join(work, 'back.txt')])).code, 0);
  assert.equal(await readFile(join(work, 'back.txt'), 'utf8'), 'into stopped\n');
  await c.start();
  assert.equal(((await c.wait()) as { StatusCode: number }).StatusCode, 0);
  const rootfs = (await ok(['inspect', '--format', '{{.GraphDriver.Data.MergedDir}}', 'cp-stopped'])).trim();
  assert.ok(rootfs.startsWith(h.config.root), rootfs);
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  assert.ok(!mountinfo.includes(rootfs), 'the temporary rootfs mount is gone');
});

test('the archive stat header describes the path in Go FileMode bits', async () => {
  const r = await request('HEAD', '/containers/cp-main/archive?path=/tmp');
  assert.equal(r.status, 200);
  const stat = JSON.parse(Buffer.from(String(r.headers['x-docker-container-path-stat']), 'base64').toString());
  assert.equal(stat.name, 'tmp');
  assert.equal(stat.mode, (2 ** 31 + 2 ** 20 + 0o777) >>> 0, 'a sticky 1777 directory');
  assert.equal(stat.linkTarget, '');
  const link = await request('HEAD', '/containers/cp-main/archive?path=/bin/sh');
  const ls = JSON.parse(Buffer.from(String(link.headers['x-docker-container-path-stat']), 'base64').toString());
  assert.equal(ls.linkTarget, '/bin/busybox');
  assert.equal((await request('HEAD', '/containers/cp-main/archive?path=/nope')).status, 404);
});

test('a crafted tar cannot write outside the container', async () => {
  const victimDir = await mkdtemp(join(tmpdir(), 'wharf-cp-victim-'));
  const victim = join(victimDir, 'victim.txt');
  await writeFile(victim, 'original\n');
  try {
    const climb = await makeTar([
      { name: 'harmless.txt', data: 'ok\n' },
      { name: `../../../../../../../../../..${victim}`, data: 'pwned\n' },
    ]);
    const r = await request('PUT', '/containers/cp-main/archive?path=/tmp', climb);
    assert.equal(r.status, 400);
    assert.match(JSON.parse(r.body.toString()).message, /escapes/);
    assert.equal(await readFile(victim, 'utf8'), 'original\n');
    assert.equal((await h.docker(['exec', 'cp-main', 'test', '-e', '/tmp/harmless.txt'])).code, 1, 'nothing of a refused archive is written');

    const viaLink = await makeTar([
      { name: 'esc', type: 'symlink', linkname: `../../../../../../../../..${victimDir}` },
      { name: 'esc/victim.txt', data: 'pwned\n' },
      { name: 'abs', type: 'symlink', linkname: victimDir },
      { name: 'abs/victim.txt', data: 'pwned again\n' },
    ]);
    const l = await request('PUT', '/containers/cp-main/archive?path=/tmp', viaLink);
    assert.equal(l.status, 200, l.body.toString());
    assert.equal(await readFile(victim, 'utf8'), 'original\n');
    // As with Docker, whose extraction runs chrooted into the container: links resolve in the container's root.
    assert.equal(await sh('cp-main', `cat ${victimDir}/victim.txt`), 'pwned again\n', 'the symlinks resolved inside the container');
  } finally {
    await rm(victimDir, { recursive: true, force: true });
  }
});

test('PUT archive refuses type changes with noOverwriteDirNonDir and non-directory targets', async () => {
  const fileOverDir = await makeTar([{ name: 'tmp', data: 'not a dir\n' }]);
  const r = await request('PUT', '/containers/cp-main/archive?path=/&noOverwriteDirNonDir=true', fileOverDir);
  assert.equal(r.status, 400);
  assert.match(JSON.parse(r.body.toString()).message, /cannot overwrite directory/);
  assert.equal(await sh('cp-main', 'test -d /tmp && echo dir'), 'dir\n');
  const notDir = await request('PUT', '/containers/cp-main/archive?path=/etc/passwd', fileOverDir);
  assert.equal(notDir.status, 400);
  assert.equal((await request('PUT', '/containers/cp-main/archive?path=/nowhere', fileOverDir)).status, 404);
  assert.equal((await request('PUT', '/containers/cp-main/archive?path=/tmp', Buffer.from('this is not a tar archive at all'.repeat(40)))).status, 400);
});

test('docker export writes the whole filesystem as a tar', async () => {
  await sh('cp-main', 'echo exported > /exported.txt');
  const out = join(work, 'export.tar');
  const r = await h.docker(['export', '-o', out, 'cp-main']);
  assert.equal(r.code, 0, r.stderr);
  const names = execFileSync('tar', ['-tf', out]).toString().split('\n');
  assert.ok(names.includes('bin/busybox'));
  assert.ok(names.includes('exported.txt'));
  assert.ok(!names.some((n) => n.startsWith('data/') && n !== 'data/'), 'binds are not part of an export');
  assert.equal(execFileSync('tar', ['-xOf', out, 'exported.txt']).toString(), 'exported\n');
});

test('docker diff lists added, changed and deleted paths', async () => {
  await ok(['run', '--name', 'cp-diff', 'busybox', 'sh', '-c', 'echo new > /added.txt; echo more >> /etc/passwd; rm /etc/group']);
  const r = await h.docker(['diff', 'cp-diff']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['A /added.txt', 'C /etc', 'D /etc/group', 'C /etc/passwd']);
});

test('docker commit makes an image with the container\'s files and the requested changes', async () => {
  await ok(['run', '--name', 'cp-commit', 'busybox', 'sh', '-c', 'echo written > /committed.txt']);
  const r = await h.docker(['commit', '-c', 'CMD ["echo","committed"]', '-c', 'ENV COMMITTED=yes', '-m', 'a message', '-a', 'someone', 'cp-commit', 'committed-image:v1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^sha256:[a-f0-9]{64}$/);
  const run = await h.docker(['run', '--rm', 'committed-image:v1']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'committed\n');
  const file = await h.docker(['run', '--rm', 'committed-image:v1', 'sh', '-c', 'cat /committed.txt; echo $COMMITTED']);
  assert.equal(file.stdout, 'written\nyes\n');
  const id = (await ok(['image', 'inspect', '--format', '{{.Id}}', 'committed-image:v1'])).trim();
  assert.equal(id, r.stdout.trim());
  // The image's id is its config's digest: the config blob itself, as the content store keeps it.
  const config = JSON.parse(await readFile(join(h.config.root, 'content/blobs/sha256', id.slice('sha256:'.length)), 'utf8')) as ImageConfig;
  assert.equal(config.rootfs.diff_ids.length, 2);
  assert.equal(config.author, 'someone');
  assert.deepEqual(config.history?.at(-1), { created: config.created, author: 'someone', created_by: "sh -c echo written > /committed.txt", comment: 'a message' });
  const bad = await h.docker(['commit', '-c', 'RUN echo no', 'cp-commit', 'committed-image:v2']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /RUN is not a valid change command/);
  assert.equal((await h.docker(['image', 'inspect', 'committed-image:v2'])).code, 1);
});

test('docker commit of a running container pauses it and keeps it running', async () => {
  await sh('cp-main', 'echo live > /live.txt');
  const r = await h.docker(['commit', 'cp-main', 'committed-live']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await ok(['inspect', '--format', '{{.State.Status}}', running])).trim(), 'running');
  assert.equal((await h.docker(['run', '--rm', 'committed-live', 'cat', '/live.txt'])).stdout, 'live\n');
});

test('docker port reads the published ports of a running container', async () => {
  const port = String(20000 + Math.floor(Math.random() * 10000));
  const c = await h.dockerode.createContainer({
    name: 'cp-port', Image: 'busybox', Cmd: ['sleep', '1000'], ExposedPorts: { '80/tcp': {} },
    HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: port }] } },
  });
  await c.start();
  const r = await h.docker(['port', 'cp-port']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^80/tcp -> 0\\.0\\.0\\.0:${port}$`, 'm'));
  const one = await h.docker(['port', 'cp-port', '80/tcp']);
  assert.match(one.stdout, new RegExp(`0\\.0\\.0\\.0:${port}`));
});
