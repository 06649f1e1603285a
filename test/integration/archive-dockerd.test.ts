/**
 * Interop with Debian's dockerd (docker.io, 20.10): it loads what writeImageArchive writes,
 * and readImageArchive loads what its `docker save` writes (the legacy layout). dockerd runs
 * privately (own data/exec roots, socket and config, no bridge, no iptables) and is stopped
 * with everything it started. Where dockerd cannot run at all, the archive's structure is
 * checked against the image-spec instead, and the test says so.
 */
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, openSync, closeSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import * as tar from 'tar-stream';
import { ContentStore } from '../../runtime/content/store.ts';
import { readImageArchive } from '../../runtime/images/archive/load.ts';
import { writeImageArchive, type SaveImage } from '../../runtime/images/archive/save.ts';
import { run } from '../../runtime/util/exec.ts';
import { sha256 } from '../../runtime/util/digest.ts';

const TAG = 'wharf-archive-test/busybox:1';
const cleanups: (() => Promise<void>)[] = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, bin)));
}

/** Install Debian's docker.io without letting the package start a system daemon. */
async function ensureDockerd(t: TestContext): Promise<string | undefined> {
  if (onPath('dockerd')) return undefined;
  t.diagnostic('dockerd not found: installing Debian docker.io');
  const policy = '/usr/sbin/policy-rc.d';
  const created = !existsSync(policy);
  if (created) await writeFile(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = ['install', '-y', '--no-install-recommends', 'docker.io'];
    let r = await run('apt-get', install, { env, allowFail: true });
    if (r.code !== 0) {
      await run('apt-get', ['update'], { env, allowFail: true });
      r = await run('apt-get', install, { env, allowFail: true });
    }
    if (r.code !== 0) return `apt-get install docker.io failed: ${r.stderr.trim().split('\n').pop()}`;
  } finally {
    if (created) await unlink(policy).catch(() => undefined);
  }
  return onPath('dockerd') ? undefined : 'docker.io installed no dockerd';
}

/** A busybox image from the host's busybox-static: one layer with the binary and a few applet links. */
async function busyboxImage(): Promise<{ image: SaveImage; layer: Buffer }> {
  const binary = await readFile('/bin/busybox');
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => { for await (const c of pack) chunks.push(c as Buffer); })();
  const mtime = new Date(0);
  const add = (h: Partial<tar.Header> & { name: string }, data?: Buffer) => new Promise<void>((resolve, reject) => {
    const cb = (e?: Error | null) => (e ? reject(e) : resolve());
    if (data) pack.entry({ ...h, mtime }, data, cb); else pack.entry({ ...h, mtime }, cb);
  });
  await add({ name: 'bin/', type: 'directory', mode: 0o755 });
  await add({ name: 'bin/busybox', mode: 0o755 }, binary);
  for (const applet of ['sh', 'ls', 'cat', 'echo', 'env', 'true']) {
    await add({ name: `bin/${applet}`, type: 'symlink', linkname: 'busybox', mode: 0o777 });
  }
  await add({ name: 'tmp/', type: 'directory', mode: 0o1777 });
  pack.finalize();
  await collected;
  const layer = Buffer.concat(chunks);
  const config = Buffer.from(JSON.stringify({
    architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
    os: 'linux',
    created: '2024-01-01T00:00:00Z',
    config: { Env: ['PATH=/bin'], Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
    history: [{ created: '2024-01-01T00:00:00Z', created_by: 'busybox-static from the host' }],
  }));
  return {
    layer,
    image: {
      configDigest: sha256(config), config, repoTags: [TAG],
      layers: [{ diffID: sha256(layer), size: layer.length, open: () => Readable.from([layer]) }],
    },
  };
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.end();
  });
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function waitGone(pid: number, tries: number): Promise<boolean> {
  for (let i = 0; i < tries && alive(pid); i++) await sleep(100);
  return !alive(pid);
}

interface Dockerd { sock: string; docker: (args: string[]) => Promise<string>; stop: () => Promise<void> }

/** Start a private dockerd under `dir`; resolves once it answers /_ping, or gives a reason. */
async function startDockerd(dir: string): Promise<Dockerd | string> {
  const sock = join(dir, 'docker.sock');
  const exec = join(dir, 'exec');
  // 20.10 writes its trust key to /etc/docker unless told otherwise, and only daemon.json can.
  await writeFile(join(dir, 'daemon.json'), JSON.stringify({ 'deprecated-key-path': join(dir, 'key.json') }));
  const runDockerExisted = existsSync('/run/docker');
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const child: ChildProcess = spawn('dockerd', [
    '--config-file', join(dir, 'daemon.json'), '--data-root', join(dir, 'data'), '--exec-root', exec,
    '--pidfile', join(dir, 'dockerd.pid'), '-H', `unix://${sock}`, '--bridge=none', '--iptables=false',
    '--ip6tables=false', '--storage-driver=vfs',
  ], { stdio: ['ignore', log, log] });
  closeSync(log);
  let exited = false;
  child.on('exit', () => { exited = true; });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // dockerd runs its own containerd under the exec root; note it before dockerd goes away.
    const containerdPid = Number((await readFile(join(exec, 'containerd', 'containerd.pid'), 'utf8').catch(() => '')).trim());
    if (!exited && child.pid) {
      child.kill('SIGTERM');
      if (!(await waitGone(child.pid, 300))) { child.kill('SIGKILL'); await waitGone(child.pid, 50); }
    }
    if (containerdPid > 0 && alive(containerdPid)) {
      const cmdline = await readFile(`/proc/${containerdPid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes(dir)) {
        process.kill(containerdPid, 'SIGTERM');
        if (!(await waitGone(containerdPid, 100))) process.kill(containerdPid, 'SIGKILL');
      }
    }
    // dockerd creates /run/docker/plugins whatever its exec root: remove it if it was ours.
    if (!runDockerExisted) {
      await rmdir('/run/docker/plugins').catch(() => undefined);
      await rmdir('/run/docker').catch(() => undefined);
    }
  };

  const env = { ...process.env, DOCKER_HOST: `unix://${sock}`, DOCKER_CONFIG: join(dir, 'cli') };
  const docker = async (args: string[]) => (await run('docker', args, { env })).stdout.trim();
  for (let i = 0; i < 600 && !exited; i++) {
    if (await ping(sock)) return { sock, docker, stop };
    await sleep(100);
  }
  await stop();
  const tail = (await readFile(join(dir, 'dockerd.log'), 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ');
  return `dockerd did not come up: ${tail}`;
}

async function mountsUnder(dir: string): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m === dir || m.startsWith(`${dir}/`));
}

/** Without dockerd: check the archive against the image-spec and Docker's manifest.json format. */
async function validateStructure(archive: string, image: SaveImage): Promise<void> {
  const content = new ContentStore(join(archive, '..', 'check-content'));
  await content.init();
  const extract = tar.extract();
  createReadStream(archive).pipe(extract as unknown as NodeJS.WritableStream);
  const files = new Map<string, Buffer>();
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    if (entry.header.type === 'file') files.set(entry.header.name, Buffer.concat(chunks));
  }
  for (const [name, data] of files) {
    if (name.startsWith('blobs/sha256/')) assert.equal(sha256(data), `sha256:${name.slice(13)}`, name);
  }
  assert.deepEqual(JSON.parse(files.get('oci-layout')!.toString()), { imageLayoutVersion: '1.0.0' });
  const [entry] = JSON.parse(files.get('manifest.json')!.toString()) as { Config: string; RepoTags: string[]; Layers: string[] }[];
  assert.equal(sha256(files.get(entry!.Config)!), image.configDigest);
  assert.deepEqual(entry!.Layers.map((l) => sha256(files.get(l)!)), image.layers.map((l) => l.diffID));
  const index = JSON.parse(files.get('index.json')!.toString());
  const manifestName = `blobs/sha256/${(index.manifests[0].digest as string).slice(7)}`;
  const manifest = JSON.parse(files.get(manifestName)!.toString());
  assert.equal(manifest.config.digest, image.configDigest);
  assert.equal(index.manifests[0].annotations['io.containerd.image.name'], `docker.io/${TAG}`);
  const loaded = await readImageArchive(createReadStream(archive), content);
  assert.equal(loaded.images[0]?.configDigest, image.configDigest);
}

test('Debian dockerd loads our archives and we load its docker save output', { timeout: 15 * 60_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-dockerd-'));
  cleanups.push(async () => {
    assert.deepEqual(await mountsUnder(dir), [], 'dockerd left mounts behind');
    await rm(dir, { recursive: true, force: true });
  });
  const { image, layer } = await busyboxImage();
  const ours = join(dir, 'ours.tar');
  await writeImageArchive([image], createWriteStream(ours));

  const unavailable = (await ensureDockerd(t)) ?? (await startDockerd(dir));
  if (typeof unavailable === 'string') {
    await validateStructure(ours, image);
    t.diagnostic(`dockerd unavailable (${unavailable}); validated the archive structure against the image-spec instead`);
    return;
  }
  const dockerd = unavailable;
  cleanups.push(dockerd.stop);

  const loadOut = await dockerd.docker(['load', '-i', ours]);
  assert.match(loadOut, new RegExp(`Loaded image: ${TAG}`));
  assert.equal(await dockerd.docker(['image', 'inspect', '--format', '{{.Id}}', TAG]), image.configDigest);
  assert.equal(await dockerd.docker(['image', 'inspect', '--format', '{{join .RepoTags ","}}', TAG]), TAG);
  t.diagnostic(`dockerd ${await dockerd.docker(['version', '--format', '{{.Server.Version}}'])} loaded image ${image.configDigest}`);

  const theirs = join(dir, 'theirs.tar');
  await dockerd.docker(['save', '-o', theirs, TAG]);
  const content = new ContentStore(join(dir, 'content'));
  await content.init();
  const loaded = await readImageArchive(createReadStream(theirs), content);
  assert.equal(loaded.images.length, 1);
  const img = loaded.images[0]!;
  assert.equal(img.configDigest, image.configDigest, 'same image id after dockerd saved it');
  assert.deepEqual(img.repoTags, [`docker.io/${TAG}`]);
  assert.deepEqual(img.layers.map((l) => l.digest), [sha256(layer)], 'dockerd 20.10 saves layers uncompressed');
  assert.ok((await stat(content.path(img.layers[0]!.digest))).size === layer.length);
  assert.deepEqual(await readdir(join(dir, 'content', 'ingest')), []);

  await dockerd.stop();
  const pid = Number((await readFile(join(dir, 'dockerd.pid'), 'utf8').catch(() => '0')).trim());
  assert.ok(!(pid > 0 && alive(pid)), 'dockerd stopped');
});
