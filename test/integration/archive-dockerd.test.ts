/**
 * Interop with Debian's dockerd (docker.io, 20.10): it loads what writeImageArchive writes,
 * and readImageArchive loads what its `docker save` writes (the legacy layout). dockerd runs
 * privately (own data/exec roots, socket and config, no bridge, no iptables) and is stopped
 * with everything it started. Where dockerd cannot run at all, the archive's structure is
 * checked against the image-spec instead, and the test says so.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { ContentStore } from '../../runtime/content/store.ts';
import { readImageArchive } from '../../runtime/images/archive/load.ts';
import { writeImageArchive, type SaveImage } from '../../runtime/images/archive/save.ts';
import { alive, ensureDockerd, startDockerd } from '../helpers/dockerd.ts';
import { sha256 } from '../../runtime/util/digest.ts';

const TAG = 'wharf-archive-test/busybox:1';
const cleanups: (() => Promise<void>)[] = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

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
