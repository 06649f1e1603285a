import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { ContentStore } from '../../runtime/content/store.ts';
import { InvalidArgumentError } from '../../runtime/errors.ts';
import { hexOf, sha256, type Digest } from '../../runtime/util/digest.ts';
import { readImageArchive } from '../../runtime/images/archive/load.ts';
import { writeImageArchive, type SaveImage } from '../../runtime/images/archive/save.ts';
import { MediaType } from '../../runtime/images/oci-types.ts';

const dirs: string[] = [];
after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

async function store(): Promise<ContentStore> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-archive-test-'));
  dirs.push(dir);
  const s = new ContentStore(dir);
  await s.init();
  return s;
}

type TarEntry = { name: string; data?: Buffer | string; type?: 'directory' | 'symlink' | 'link'; linkname?: string };

async function makeTar(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => { for await (const c of pack) chunks.push(c as Buffer); })();
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.type) pack.entry({ name: e.name, type: e.type, linkname: e.linkname, mtime: new Date(0) }, cb);
      else pack.entry({ name: e.name, mtime: new Date(0) }, e.data ?? '', cb);
    });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}

/** A layer tar holding one file, and the image config that lists such layers. */
async function layer(file: string, body: string): Promise<Buffer> {
  return makeTar([{ name: file, data: body }]);
}

function config(diffIDs: Digest[], arch = 'amd64'): Buffer {
  return Buffer.from(JSON.stringify({
    architecture: arch,
    os: 'linux',
    created: '2024-01-01T00:00:00Z',
    config: { Env: ['PATH=/bin'], Cmd: ['sh'], Entrypoint: null, Labels: null },
    rootfs: { type: 'layers', diff_ids: diffIDs },
    history: diffIDs.map(() => ({ created_by: 'test' })),
  }));
}

function saveImage(layers: Buffer[], repoTags: string[]): SaveImage {
  const cfg = config(layers.map((l) => sha256(l)));
  return {
    configDigest: sha256(cfg),
    config: cfg,
    repoTags,
    layers: layers.map((l) => ({ diffID: sha256(l), size: l.length, open: () => Readable.from([l]) })),
  };
}

async function save(images: SaveImage[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new Writable({ write(c: Buffer, _e, cb) { chunks.push(c); cb(); } });
  await writeImageArchive(images, out);
  return Buffer.concat(chunks);
}

async function listTar(buf: Buffer): Promise<{ name: string; type: string; data: Buffer }[]> {
  const out: { name: string; type: string; data: Buffer }[] = [];
  const extract = tar.extract();
  Readable.from([buf]).pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.push({ name: entry.header.name, type: entry.header.type, data: Buffer.concat(chunks) });
  }
  return out;
}

async function rejectsNaming(archive: Buffer, entry: string | RegExp, detail?: RegExp): Promise<void> {
  await assert.rejects(readImageArchive(Readable.from([archive]), await store()), (e: unknown) => {
    assert.ok(e instanceof InvalidArgumentError, String(e));
    if (typeof entry === 'string') assert.ok(e.message.includes(`"${entry}"`), `${e.message} should name "${entry}"`);
    else assert.match(e.message, entry);
    if (detail) assert.match(e.message, detail);
    return true;
  });
}

test('save then load round-trips ids, tags and layers', async () => {
  const base = await layer('bin/base', 'base layer');
  const top = await layer('etc/top', 'top layer');
  const other = await layer('etc/other', 'other layer');
  const a = saveImage([base, top], ['busybox:latest', 'docker.io/library/busybox:1.36']);
  const b = saveImage([base, other], ['localhost:5000/app:v1']);
  const archive = await save([a, b]);

  const entries = await listTar(archive);
  const names = entries.map((e) => e.name);
  const blobNames = names.filter((n) => /^blobs\/sha256\/[a-f0-9]{64}$/.test(n));
  assert.deepEqual(names.slice(0, 2), ['blobs/', 'blobs/sha256/']);
  assert.deepEqual(blobNames, [...blobNames].sort(), 'blobs are sorted');
  assert.equal(new Set(blobNames).size, blobNames.length, 'a shared layer is written once');
  assert.equal(blobNames.length, 2 + 3 + 2, 'two configs, three distinct layers, two manifests');
  assert.deepEqual(names.slice(2 + blobNames.length), ['index.json', 'manifest.json', 'oci-layout', 'repositories']);
  for (const e of entries) {
    if (e.type === 'file' && e.name.startsWith('blobs/')) assert.equal(sha256(e.data), `sha256:${e.name.slice(13)}`);
  }
  const file = (n: string) => JSON.parse(entries.find((e) => e.name === n)!.data.toString());
  assert.deepEqual(file('oci-layout'), { imageLayoutVersion: '1.0.0' });
  assert.deepEqual(file('manifest.json'), [
    { Config: `blobs/sha256/${hexOf(a.configDigest)}`, RepoTags: ['busybox:latest', 'busybox:1.36'], Layers: [base, top].map((l) => `blobs/sha256/${hexOf(sha256(l))}`) },
    { Config: `blobs/sha256/${hexOf(b.configDigest)}`, RepoTags: ['localhost:5000/app:v1'], Layers: [base, other].map((l) => `blobs/sha256/${hexOf(sha256(l))}`) },
  ]);
  assert.deepEqual(file('repositories'), {
    busybox: { '1.36': hexOf(sha256(top)), latest: hexOf(sha256(top)) },
    'localhost:5000/app': { v1: hexOf(sha256(other)) },
  });
  const index = file('index.json');
  assert.equal(index.mediaType, MediaType.ociIndex);
  assert.deepEqual(index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations), [
    { 'io.containerd.image.name': 'docker.io/library/busybox:latest', 'org.opencontainers.image.ref.name': 'latest' },
    { 'io.containerd.image.name': 'docker.io/library/busybox:1.36', 'org.opencontainers.image.ref.name': '1.36' },
    { 'io.containerd.image.name': 'localhost:5000/app:v1', 'org.opencontainers.image.ref.name': 'v1' },
  ]);
  assert.deepEqual(await save([a, b]), archive, 'the same images give the same bytes');

  const content = await store();
  const loaded = await readImageArchive(Readable.from([archive]), content);
  assert.equal(loaded.images.length, 2);
  const [la, lb] = loaded.images;
  assert.equal(la!.configDigest, a.configDigest);
  assert.deepEqual(la!.repoTags, ['docker.io/library/busybox:latest', 'docker.io/library/busybox:1.36']);
  assert.deepEqual(la!.layers, [base, top].map((l) => ({ digest: sha256(l), size: l.length, mediaType: MediaType.ociLayer })));
  assert.deepEqual(la!.config.rootfs.diff_ids, [sha256(base), sha256(top)]);
  assert.equal(la!.config.config?.Entrypoint, undefined, 'null in a config reads as absent');
  assert.equal(la!.manifestDigest, index.manifests[0].digest);
  assert.equal(lb!.configDigest, b.configDigest);
  assert.deepEqual(lb!.repoTags, ['localhost:5000/app:v1']);
  assert.deepEqual(loaded.unreferenced, []);
  assert.deepEqual((await content.readBuffer(sha256(top))), top);
  assert.deepEqual(await content.readBuffer(a.configDigest), a.config);
});

test('loads a gzip-compressed archive', async () => {
  const l = await layer('f', 'x');
  const img = saveImage([l], ['x:1']);
  const loaded = await readImageArchive(Readable.from([gzipSync(await save([img]))]), await store());
  assert.equal(loaded.images[0]?.configDigest, img.configDigest);
  assert.deepEqual(loaded.images[0]?.repoTags, ['docker.io/library/x:1']);
});

test('an untagged image saves and loads without names', async () => {
  const img = saveImage([await layer('f', 'untagged')], []);
  const archive = await save([img]);
  const entries = await listTar(archive);
  assert.ok(!entries.some((e) => e.name === 'repositories'));
  const loaded = await readImageArchive(Readable.from([archive]), await store());
  assert.deepEqual(loaded.images.map((i) => [i.configDigest, i.repoTags]), [[img.configDigest, []]]);
});

test('loads the legacy docker save layout with a symlinked shared layer and a gzip layer', async () => {
  const l1 = await layer('a', 'one');
  const l2 = await layer('b', 'two');
  const l2gz = gzipSync(l2);
  const cfgA = config([sha256(l1), sha256(l2)]);
  const cfgB = config([sha256(l1)], 'arm64');
  const idA = hexOf(sha256(cfgA));
  const idB = hexOf(sha256(cfgB));
  const archive = await makeTar([
    { name: '1111/', type: 'directory' },
    { name: '1111/VERSION', data: '1.0' },
    { name: '1111/json', data: '{}' },
    { name: '1111/layer.tar', data: l1 },
    { name: '2222/layer.tar', data: l2gz },
    { name: '3333/layer.tar', type: 'symlink', linkname: '../1111/layer.tar' },
    { name: `${idA}.json`, data: cfgA },
    { name: `${idB}.json`, data: cfgB },
    { name: 'manifest.json', data: JSON.stringify([
      { Config: `${idA}.json`, RepoTags: ['busybox:latest'], Layers: ['1111/layer.tar', '2222/layer.tar'] },
      { Config: `${idB}.json`, RepoTags: null, Layers: ['3333/layer.tar'] },
    ]) },
    { name: 'repositories', data: JSON.stringify({ busybox: { latest: '2222' } }) },
  ]);
  const content = await store();
  const loaded = await readImageArchive(Readable.from([archive]), content);
  const [a, b] = loaded.images;
  assert.equal(a!.configDigest, sha256(cfgA));
  assert.deepEqual(a!.repoTags, ['docker.io/library/busybox:latest']);
  assert.deepEqual(a!.layers, [
    { digest: sha256(l1), size: l1.length, mediaType: MediaType.ociLayer },
    { digest: sha256(l2gz), size: l2gz.length, mediaType: MediaType.ociLayerGzip },
  ]);
  assert.equal(a!.manifestDigest, undefined);
  assert.equal(b!.configDigest, sha256(cfgB));
  assert.equal(b!.config.architecture, 'arm64');
  assert.deepEqual(b!.repoTags, []);
  assert.deepEqual(b!.layers, [{ digest: sha256(l1), size: l1.length, mediaType: MediaType.ociLayer }]);
  assert.ok(!(await content.has(sha256('1.0'))), 'v1 metadata is not stored');
});

test('loads an OCI layout, choosing from a nested index by platform', async () => {
  const content = await store();
  const blobs: TarEntry[] = [];
  const blob = (data: Buffer | string) => {
    const buf = Buffer.from(data);
    blobs.push({ name: `blobs/sha256/${hexOf(sha256(buf))}`, data: buf });
    return { digest: sha256(buf), size: buf.length };
  };
  const image = async (arch: string) => {
    const l = gzipSync(await layer('arch', arch));
    const lDesc = blob(l);
    const cfg = config([sha256(await layer('arch', arch))], arch);
    const cDesc = blob(cfg);
    const manifest = { schemaVersion: 2, mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, ...cDesc }, layers: [{ mediaType: MediaType.ociLayerGzip, ...lDesc }] };
    return { mediaType: MediaType.ociManifest, ...blob(JSON.stringify(manifest)), platform: { os: 'linux', architecture: arch }, config: cDesc, layer: lDesc };
  };
  const amd = await image('amd64');
  const arm = await image('arm64');
  const attestation = { mediaType: MediaType.ociManifest, ...blob('{"schemaVersion":2}'), platform: { os: 'unknown', architecture: 'unknown' } };
  const strip = ({ mediaType, digest, size, platform }: typeof amd | typeof attestation) => ({ mediaType, digest, size, platform });
  const nested = blob(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [strip(attestation), strip(arm), strip(amd)] }));
  const archive = await makeTar([
    ...blobs,
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', data: JSON.stringify({ schemaVersion: 2, manifests: [
      { mediaType: MediaType.ociIndex, ...nested, annotations: { 'io.containerd.image.name': 'example.com/multi:2', 'org.opencontainers.image.ref.name': '2' } },
      { mediaType: MediaType.ociIndex, ...nested, annotations: { 'org.opencontainers.image.ref.name': 'multi:3' } },
      { mediaType: MediaType.ociIndex, ...nested, annotations: { 'org.opencontainers.image.ref.name': 'bare-tag' } },
    ] }) },
  ]);

  const loaded = await readImageArchive(Readable.from([archive]), content, { platform: { os: 'linux', architecture: 'amd64' } });
  assert.equal(loaded.images.length, 1);
  const img = loaded.images[0]!;
  assert.equal(img.manifestDigest, amd.digest);
  assert.equal(img.configDigest, amd.config.digest);
  assert.deepEqual(img.repoTags, ['example.com/multi:2', 'docker.io/library/multi:3']);
  assert.deepEqual(img.layers, [{ ...amd.layer, mediaType: MediaType.ociLayerGzip }]);
  assert.deepEqual(new Set(loaded.unreferenced), new Set([nested.digest, arm.digest, arm.config.digest, arm.layer.digest, attestation.digest]));

  const onArm = await readImageArchive(Readable.from([archive]), await store(), { platform: { os: 'linux', architecture: 'arm64' } });
  assert.equal(onArm.images[0]?.configDigest, arm.config.digest);
  const onS390x = await readImageArchive(Readable.from([archive]), await store(), { platform: { os: 'linux', architecture: 's390x' } });
  assert.equal(onS390x.images[0]?.configDigest, arm.config.digest, 'without a match, the first runnable manifest');
});

async function validArchiveEntries(): Promise<{ entries: TarEntry[]; cfg: Buffer; l: Buffer }> {
  const l = await layer('f', 'payload');
  const cfg = config([sha256(l)]);
  return {
    cfg, l,
    entries: [
      { name: `blobs/sha256/${hexOf(sha256(cfg))}`, data: cfg },
      { name: `blobs/sha256/${hexOf(sha256(l))}`, data: l },
      { name: 'manifest.json', data: JSON.stringify([{ Config: `blobs/sha256/${hexOf(sha256(cfg))}`, RepoTags: ['x:1'], Layers: [`blobs/sha256/${hexOf(sha256(l))}`] }]) },
    ],
  };
}

test('rejects a blob whose content does not match its name', async () => {
  const { entries, l } = await validArchiveEntries();
  const name = `blobs/sha256/${hexOf(sha256(l))}`;
  const bad = entries.map((e) => (e.name === name ? { ...e, data: Buffer.concat([l, Buffer.from('tampered')]) } : e));
  await rejectsNaming(await makeTar(bad), name, /digest mismatch/);
});

test('rejects manifest.json naming a missing file', async () => {
  const { entries, cfg } = await validArchiveEntries();
  const manifest = JSON.stringify([{ Config: `blobs/sha256/${hexOf(sha256(cfg))}`, RepoTags: [], Layers: ['nope/layer.tar'] }]);
  await rejectsNaming(await makeTar([...entries.slice(0, 2), { name: 'manifest.json', data: manifest }]), 'manifest.json', /"nope\/layer.tar".*not in the archive/);
});

test('rejects a layer count that does not match diff_ids', async () => {
  const { entries, l } = await validArchiveEntries();
  const cfg2 = config([sha256(l), sha256(l)]);
  const manifest = JSON.stringify([{ Config: 'c.json', RepoTags: [], Layers: [`blobs/sha256/${hexOf(sha256(l))}`] }]);
  await rejectsNaming(await makeTar([entries[1]!, { name: 'c.json', data: cfg2 }, { name: 'manifest.json', data: manifest }]), 'manifest.json', /1 layers but its config lists 2 diff_ids/);
});

test('rejects symlinks that leave the archive', async () => {
  const { entries } = await validArchiveEntries();
  await rejectsNaming(await makeTar([{ name: 'x/layer.tar', type: 'symlink', linkname: '../../etc/passwd' }, ...entries]), 'x/layer.tar', /outside the archive/);
  await rejectsNaming(await makeTar([{ name: 'x/layer.tar', type: 'symlink', linkname: '/etc/passwd' }, ...entries]), 'x/layer.tar', /outside the archive/);
  await rejectsNaming(await makeTar([{ name: '../evil', data: 'x' }, ...entries]), '../evil', /leaves the archive/);
});

test('rejects garbage control files and non-archives', async () => {
  const { entries } = await validArchiveEntries();
  await rejectsNaming(await makeTar([...entries.slice(0, 2), { name: 'manifest.json', data: '{"not":"a list"' }]), 'manifest.json', /not valid JSON/);
  await rejectsNaming(await makeTar([...entries.slice(0, 2), { name: 'manifest.json', data: '[{"Config":1}]' }]), 'manifest.json', /at 0\.Config/);
  await rejectsNaming(await makeTar([...entries.slice(0, 2), { name: 'index.json', data: '{"schemaVersion":2,"manifests":[{"digest":"x"}]}' }]), 'index.json');
  await rejectsNaming(await makeTar(entries.slice(0, 2)), /neither manifest.json nor index.json/);
  await rejectsNaming(Buffer.from('this is not a tar archive at all, not even close'.repeat(20)), /invalid image archive/);
  await rejectsNaming(gzipSync(Buffer.from('x'.repeat(1000))), /invalid image archive/);
});

test('a failed load leaves the source stream to the caller', async () => {
  const src = new PassThrough();
  src.write(Buffer.from('garbage'.repeat(200)));
  await assert.rejects(readImageArchive(src, await store()), InvalidArgumentError);
  assert.equal(src.destroyed, false, 'an HTTP request body must stay usable for the answer');
  src.destroy();
});

test('an error of the source stream is passed on as it is', async () => {
  const archive = await save([saveImage([await layer('f', 'src error')], ['x:1'])]);
  const failure = new Error('client went away');
  for (const head of [archive.subarray(0, 1536 + 100), gzipSync(archive).subarray(0, 100)]) {
    const content = await store();
    const src = new Readable({ read() {} });
    src.push(head);
    setImmediate(() => src.destroy(failure));
    await assert.rejects(readImageArchive(src, content), (e: unknown) => e === failure);
  }
});

test('save refuses configs and layers that do not match their digests', async () => {
  const l = await layer('f', 'x');
  const img = saveImage([l], ['x:1']);
  await assert.rejects(save([{ ...img, config: Buffer.concat([img.config, Buffer.from(' ')]) }]), InvalidArgumentError);
  await assert.rejects(save([{ ...img, layers: [] }]), /diff_ids/);
  await assert.rejects(save([{ ...img, repoTags: ['Bad:tag'] }]), InvalidArgumentError);
  const lying = { ...img, layers: [{ ...img.layers[0]!, open: () => Readable.from([Buffer.alloc(l.length)]) }] };
  await assert.rejects(save([lying]), /does not match its diffID/);
});

test('save stops reading layers and reports the consumer failing', async () => {
  const body = Buffer.alloc(4 * 1024 * 1024, 1);
  const cfg = config([sha256(body)]);
  let src: Readable | undefined;
  const img: SaveImage = {
    configDigest: sha256(cfg), config: cfg, repoTags: [],
    layers: [{ diffID: sha256(body), size: body.length, open: () => (src = Readable.from([body.subarray(0, 2 << 20), body.subarray(2 << 20)])) }],
  };
  const failure = new Error('socket closed');
  let written = 0;
  const out = new Writable({
    highWaterMark: 1024,
    write(c: Buffer, _e, cb) { written += c.length; cb(written > 1024 * 1024 ? failure : null); },
  });
  await assert.rejects(writeImageArchive([img], out), (e: unknown) => e === failure);
  assert.equal(src?.destroyed, true, 'the layer stream is closed');
});

test('save streams layers with backpressure from a slow consumer', async () => {
  const chunk = Buffer.alloc(64 * 1024, 7);
  const count = 128; // 8 MiB layer
  let produced = 0;
  let consumed = 0;
  let maxAhead = 0;
  const body = Buffer.alloc(chunk.length * count, 7);
  const diffID = sha256(body);
  const cfg = config([diffID]);
  const img: SaveImage = {
    configDigest: sha256(cfg), config: cfg, repoTags: ['big:1'],
    layers: [{ diffID, size: body.length, open: () => new Readable({
      read() {
        if (produced === count) return void this.push(null);
        produced++;
        maxAhead = Math.max(maxAhead, produced * chunk.length - consumed);
        this.push(chunk);
      },
    }) }],
  };
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(c: Buffer, _e, cb) { consumed += c.length; setImmediate(cb); },
  });
  await writeImageArchive([img], out);
  assert.equal(produced, count);
  assert.ok(consumed > body.length);
  assert.ok(maxAhead < 2 * 1024 * 1024, `the layer ran ${maxAhead} bytes ahead of the consumer`);
});
