/**
 * Image operations through the full server, with the stock docker CLI and raw HTTP on the socket:
 * `docker import <url>` (the engine fetches the archive itself), `image prune` with `until` and
 * label filters, and `save`/`load` of several images in one archive.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

let h: ApiHarness;
let work: string;
let files: http.Server;
let filesURL: string;
const served = new Map<string, (res: http.ServerResponse) => void>();

before(async () => {
  h = await startApiServer('imgops');
  work = await mkdtemp(join(tmpdir(), 'wharf-test-imgops-'));
  // The archives `docker import <url>` fetches, from a server of the test's own on loopback.
  files = http.createServer((req, res) => {
    const answer = served.get(req.url ?? '');
    if (answer) answer(res);
    else res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesURL = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});

after(async () => {
  files?.closeAllConnections();
  await new Promise((resolve) => (files ? files.close(resolve) : resolve(undefined)));
  if (work) await rm(work, { recursive: true, force: true });
  const left = await h?.close();
  if (left) assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const ok = (args: string[]): Promise<string> => h.ok(args);
const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function raw(method: string, path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function pack(entries: { name: string; data: Buffer | string; mode?: number }[]): Promise<Buffer> {
  const p = tar.pack();
  for (const e of entries) p.entry({ name: e.name, mode: e.mode ?? 0o644, mtime: new Date(0) }, e.data);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function imageId(ref: string): Promise<string | undefined> {
  const r = await raw('GET', `/v1.47/images/${ref}/json`);
  if (r.status === 404) return undefined;
  assert.equal(r.status, 200, r.body.toString());
  return (JSON.parse(r.body.toString()) as { Id: string }).Id;
}

const blobs = async (): Promise<string[]> => (await readdir(join(h.config.root, 'content/blobs/sha256'))).sort();

/**
 * A `docker save` archive (Docker's manifest.json layout) of images sharing one layer, each with
 * the creation date and labels given, tagged as given (no tags: a dangling image once loaded).
 */
async function archiveOf(images: { created: string; labels: Record<string, string>; tags: string[] }[]): Promise<Buffer> {
  const layer = await pack([{ name: 'hello.txt', data: 'shared layer\n' }]);
  const diffID = sha(layer);
  const entries: { name: string; data: Buffer | string }[] = [{ name: `${diffID.slice(7)}/layer.tar`, data: layer }];
  const manifest = images.map((img) => {
    const config = Buffer.from(JSON.stringify({
      architecture: 'amd64', os: 'linux', created: img.created,
      config: { Labels: img.labels, Cmd: ['/hello.txt'] },
      rootfs: { type: 'layers', diff_ids: [diffID] },
      history: [{ created: img.created, created_by: 'test layer' }],
    }));
    entries.push({ name: `${sha(config).slice(7)}.json`, data: config });
    return { Config: `${sha(config).slice(7)}.json`, RepoTags: img.tags.length ? img.tags : null, Layers: [`${diffID.slice(7)}/layer.tar`] };
  });
  entries.push({ name: 'manifest.json', data: JSON.stringify(manifest) });
  return pack(entries);
}

test('docker import <url>: the engine fetches the archive; changes, message, repo and tag apply; bad URLs change nothing', async () => {
  const rootfs = gzipSync(await pack([{ name: 'etc/greeting', data: 'imported over http\n' }, { name: 'etc/os', data: 'none\n' }]));
  served.set('/rootfs.tar.gz', (res) => res.writeHead(200, { 'content-type': 'application/gzip' }).end(rootfs));
  served.set('/moved', (res) => res.writeHead(302, { location: '/rootfs.tar.gz' }).end());

  // The CLI sends the URL as fromSrc with an empty body; dockerd reports the download in the stream.
  const out = await ok(['import', '-c', 'ENV FROM_URL=yes', '-c', 'LABEL origin=url', '-m', 'over http', `${filesURL}/rootfs.tar.gz`, 'from-url:1']);
  const id = out.trim().split('\n').pop()!;
  assert.match(id, /^sha256:[a-f0-9]{64}$/);
  const [img] = JSON.parse(await ok(['image', 'inspect', 'from-url:1'])) as { Id: string; Comment: string; Config: { Env: string[]; Labels: Record<string, string> }; RootFS: { Layers: string[] } }[];
  assert.equal(img!.Id, id);
  assert.equal(img!.Comment, 'over http');
  assert.ok(img!.Config.Env.includes('FROM_URL=yes'));
  assert.equal(img!.Config.Labels.origin, 'url');
  assert.equal(img!.RootFS.Layers.length, 1);
  assert.equal(await ok(['image', 'save', 'from-url:1']).then((s) => s.length > 0), true);

  // The raw API, through a redirect, with repo and tag separate; the stream names the download.
  const viaAPI = await raw('POST', `/v1.47/images/create?fromSrc=${encodeURIComponent(`${filesURL}/moved`)}&repo=from-url&tag=2&changes=${encodeURIComponent('CMD ["/etc/greeting"]')}`);
  assert.equal(viaAPI.status, 200, viaAPI.body.toString());
  const lines = viaAPI.body.toString().trim().split('\n').map((l) => JSON.parse(l) as { status?: string; error?: string });
  assert.deepEqual(lines.map((l) => l.status), [`Downloading from ${filesURL}/moved`, await imageId('from-url:2')]);
  assert.deepEqual(JSON.parse(await ok(['image', 'inspect', '--format', '{{json .Config.Cmd}}', 'from-url:2'])), ['/etc/greeting']);
  assert.match((await ok(['history', '--format', '{{.Comment}}', 'from-url:2'])).trim(), new RegExp(`^Imported from ${filesURL}/moved$`, 'm'));

  const before = await blobs();
  const imagesBefore = (await ok(['images', '-a', '-q', '--no-trunc'])).trim();
  // Only http and https: a file URL (or any other scheme) is a 400 naming the field.
  const file = await raw('POST', `/v1.47/images/create?fromSrc=${encodeURIComponent('file:///etc/passwd')}&repo=nope`);
  assert.equal(file.status, 400);
  assert.match(JSON.parse(file.body.toString()).message as string, /only http and https.*\(fromSrc\)/);
  // An error status is the CLI's error, and nothing is kept.
  const missing = await h.docker(['import', `${filesURL}/missing.tar`, 'nope:1']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /failed to GET .*missing\.tar with status 404/);
  // A declared size above the limit is refused before a byte is stored.
  served.set('/huge.tar', (res) => {
    res.writeHead(200, { 'content-length': String(64 * 1024 ** 4) });
    res.write(Buffer.alloc(1024));
  });
  const huge = await h.docker(['import', `${filesURL}/huge.tar`, 'nope:2']);
  assert.notEqual(huge.code, 0);
  assert.match(huge.stderr, /more than the limit/);
  // A connection that breaks mid-body fails the import instead of importing half an archive.
  const whole = await pack([{ name: 'big.bin', data: Buffer.alloc(256 * 1024, 7) }]);
  served.set('/broken.tar', (res) => {
    res.writeHead(200, { 'content-length': String(whole.length) });
    res.write(whole.subarray(0, 100 * 1024), () => res.socket?.destroy());
  });
  const broken = await h.docker(['import', `${filesURL}/broken.tar`, 'nope:3']);
  assert.notEqual(broken.code, 0);
  assert.deepEqual(await blobs(), before);
  assert.equal((await ok(['images', '-a', '-q', '--no-trunc'])).trim(), imagesBefore);
  assert.deepEqual(await readdir(join(h.config.root, 'content/ingest')), []);
  await ok(['rmi', 'from-url:1', 'from-url:2']);
});

test('docker image prune: until and label/label! filters, for dangling images and with -a', async () => {
  const old = '2001-02-03T04:05:06Z';
  const loaded = await h.docker(['load'], {
    input: await archiveOf([
      { created: old, labels: { keep: 'yes' }, tags: ['old-keep:1'] },
      { created: old, labels: { tier: 'x' }, tags: ['old-tier:1'] },
      { created: old, labels: { tier: 'x', dangling: 'yes' }, tags: [] },
    ]),
  });
  assert.equal(loaded.code, 0, loaded.stderr);
  const ids = JSON.parse(await ok(['images', '-a', '--format', '{{json .ID}}', '--no-trunc', '--filter', 'dangling=true'])
    .then((s) => `[${s.trim().split('\n').filter(Boolean).join(',')}]`)) as string[];
  assert.equal(ids.length, 1, `one dangling old image: ${ids.join(', ')}`);
  const oldDangling = ids[0]!;
  const keep = (await imageId('old-keep:1'))!;
  const tier = (await imageId('old-tier:1'))!;
  // A dangling image made now: the same tag imported twice.
  const rootfs = await pack([{ name: 'f', data: 'new' }]);
  served.set('/new.tar', (res) => res.writeHead(200).end(rootfs));
  const newDangling = (await ok(['import', '-c', 'LABEL tier=x', `${filesURL}/new.tar`, 'fresh:1'])).trim().split('\n').pop()!;
  const fresh = (await ok(['import', '-c', 'LABEL keep=yes', `${filesURL}/new.tar`, 'fresh:1'])).trim().split('\n').pop()!;
  const present = async (): Promise<string[]> => {
    const all = (await ok(['images', '-a', '-q', '--no-trunc'])).trim().split('\n');
    return [oldDangling, keep, tier, newDangling, fresh].filter((i) => all.includes(i));
  };

  // Dangling and older than 2010: the old untagged image only, not the new one.
  let out = await ok(['image', 'prune', '-f', '--filter', 'until=2010-01-01T00:00:00Z']);
  assert.match(out, new RegExp(`deleted: ${oldDangling}`));
  assert.deepEqual(await present(), [keep, tier, newDangling, fresh]);
  // A Go duration counts back from now: nothing dangling is a day old.
  out = await ok(['image', 'prune', '-f', '--filter', 'until=24h']);
  assert.deepEqual(await present(), [keep, tier, newDangling, fresh]);
  // -a with a label: only images carrying it (tagged ones too), older than until.
  out = await ok(['image', 'prune', '-a', '-f', '--filter', 'label=tier=x', '--filter', 'until=2010-01-01T00:00:00Z']);
  assert.match(out, new RegExp(`deleted: ${tier}`));
  assert.deepEqual(await present(), [keep, newDangling, fresh]);
  // label!: everything without keep=… goes; busybox is kept by a container using it.
  const c = await h.dockerode.createContainer({ Image: 'busybox', Cmd: ['true'] });
  out = await ok(['image', 'prune', '-a', '-f', '--filter', 'label!=keep']);
  assert.match(out, new RegExp(`deleted: ${newDangling}`));
  assert.deepEqual(await present(), [keep, fresh]);
  assert.ok(await imageId('busybox'), 'an image in use is never pruned');
  // A bad until is a 400 naming it, and prunes nothing.
  const bad = await raw('POST', `/v1.47/images/prune?filters=${encodeURIComponent('{"until":["not a time"]}')}`);
  assert.equal(bad.status, 400);
  assert.match(bad.body.toString(), /until/);
  assert.deepEqual(await present(), [keep, fresh]);
  await c.remove();
  await ok(['rmi', 'old-keep:1', 'fresh:1']);
});

test('docker save of several images: one archive, tags kept, a shared layer stored once; load brings both back', async () => {
  assert.equal((await h.docker(['load'], {
    input: await archiveOf([
      { created: '2002-01-01T00:00:00Z', labels: { n: 'a' }, tags: ['multi-a:1', 'multi-a:also'] },
      { created: '2002-01-01T00:00:00Z', labels: { n: 'b' }, tags: ['multi-b:1'] },
    ]),
  })).code, 0);
  const a = (await imageId('multi-a:1'))!;
  const b = (await imageId('multi-b:1'))!;
  const file = join(work, 'two.tar');
  await ok(['save', '-o', file, 'multi-a:1', 'multi-a:also', 'multi-b:1']);

  // The archive: both images in manifest.json and index.json, their one shared layer once.
  const entries = new Map<string, Buffer>();
  const extract = tar.extract();
  const reading = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (d: unknown) => chunks.push(d as Buffer));
      stream.on('end', () => { entries.set(header.name, Buffer.concat(chunks)); next(); });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(await readFile(file));
  await reading;
  const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as { Config: string; RepoTags: string[]; Layers: string[] }[];
  assert.equal(manifest.length, 2);
  assert.deepEqual(manifest.map((m) => m.RepoTags.sort()).sort(), [['multi-a:1', 'multi-a:also'], ['multi-b:1']]);
  assert.equal(manifest[0]!.Layers[0], manifest[1]!.Layers[0], 'the same layer file for both');
  const layerFiles = [...entries.keys()].filter((n) => n === manifest[0]!.Layers[0]);
  assert.equal(layerFiles.length, 1);
  const index = JSON.parse(entries.get('index.json')!.toString()) as { manifests: { annotations?: Record<string, string> }[] };
  assert.deepEqual(index.manifests.map((m) => m.annotations?.['io.containerd.image.name']).sort(),
    ['docker.io/library/multi-a:1', 'docker.io/library/multi-a:also', 'docker.io/library/multi-b:1']);

  // GET /images/get with several names is the same archive.
  const viaAPI = await raw('GET', '/v1.47/images/get?names=multi-a:1&names=multi-a:also&names=multi-b:1');
  assert.equal(viaAPI.status, 200);
  assert.equal(sha(viaAPI.body), sha(await readFile(file)));

  await ok(['rmi', 'multi-a:1', 'multi-a:also', 'multi-b:1']);
  assert.equal(await imageId(a), undefined);
  const loaded = await ok(['load', '-i', file]);
  assert.deepEqual(loaded.trim().split('\n').sort(), ['Loaded image: multi-a:1', 'Loaded image: multi-a:also', 'Loaded image: multi-b:1']);
  assert.deepEqual([await imageId('multi-a:1'), await imageId('multi-a:also'), await imageId('multi-b:1')], [a, a, b]);
  await ok(['rmi', 'multi-a:1', 'multi-a:also', 'multi-b:1']);
});

test('docker rmi: in use is a 409; -f takes the names and keeps the image while a container uses it; then it can go', async () => {
  const rootfs = await pack([{ name: 'f', data: 'rmi' }]);
  served.set('/rmi.tar', (res) => res.writeHead(200).end(rootfs));
  await ok(['import', '-c', 'LABEL rmi=yes', `${filesURL}/rmi.tar`, 'rmi-used:1']);
  const used = (await imageId('rmi-used:1'))!;
  await ok(['tag', 'rmi-used:1', 'rmi-used:2']);
  const user = await h.dockerode.createContainer({ Image: 'rmi-used:1', Cmd: ['/f'] });

  // A second name is only untagged; the last one, in use, needs force (409 on the API).
  assert.equal((await ok(['rmi', 'rmi-used:2'])).trim(), 'Untagged: rmi-used:2');
  const conflict = await raw('DELETE', '/v1.47/images/rmi-used:1');
  assert.equal(conflict.status, 409);
  assert.match(JSON.parse(conflict.body.toString()).message as string, /must force.*container [0-9a-f]{12} is using its referenced image/);
  // Forced: the name goes; the container's image (and its layers) stay, so the container still works.
  assert.equal((await ok(['rmi', '-f', 'rmi-used:1'])).trim(), 'Untagged: rmi-used:1');
  assert.equal(await imageId(used), used);
  assert.equal((await user.inspect()).Image, used);
  // Once no container uses it, the dangling image is deleted by id.
  await user.remove();
  assert.equal((await ok(['rmi', used.slice(7, 19)])).trim(), `Deleted: ${used}`);
  assert.equal(await imageId(used), undefined);
});
