/**
 * Anonymous volumes as dockerd makes them: one per image `VOLUME` and `Config.Volumes` path at
 * create, filled from the image, kept by `rm`, removed by `rm -v` and `--rm`, shared by
 * `--volumes-from`, counted as in use, prunable. Only through the socket.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

const IMAGE = 'wharf-anonvol:test';
const ANONYMOUS = 'com.docker.volume.anonymous';

interface MountView { Type: string; Name?: string; Source: string; Destination: string; Driver?: string; RW: boolean }

let h: ApiHarness;
let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'wharf-anonvol-'));
  h = await startApiServer('anonvol');
  // The classic builder, as `DOCKER_BUILDKIT=0 docker build` drives it: content, owner and mode at /data.
  const dockerfile = [
    'FROM busybox',
    'RUN mkdir -p /data/sub && echo hello > /data/greeting && echo deep > /data/sub/file && chown -R 1000:1001 /data && chmod 0750 /data',
    'VOLUME /data',
    'CMD ["sh"]',
  ].join('\n');
  const b = await h.docker(['build', '-q', '-t', IMAGE, '-'], { input: dockerfile, env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 180_000 });
  assert.equal(b.code, 0, b.stderr + b.stdout);
});
after(async () => {
  await rm(work, { recursive: true, force: true });
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const ok = (args: string[], input?: string): Promise<string> => h.ok(args, input);
const volumeNames = async (): Promise<string[]> => (await ok(['volume', 'ls', '-q'])).split('\n').filter(Boolean).sort();
const mountsOf = async (name: string): Promise<MountView[]> => JSON.parse(await ok(['inspect', '-f', '{{json .Mounts}}', name])) as MountView[];

function raw(method: string, path: string, body?: Buffer, type = 'application/x-tar'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method, path, headers: body ? { 'Content-Type': type } : {} }, (res) => {
      let out = '';
      res.on('data', (d: Buffer) => { out += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A tar with one file, as `PUT /containers/{id}/archive` takes it. */
async function tarOf(name: string, text: string): Promise<Buffer> {
  const p = pack();
  p.entry({ name, mode: 0o644 }, text);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('an image VOLUME gets an anonymous volume at create, filled from the image, shown by inspect and volume ls', async () => {
  const before = await volumeNames();
  await ok(['create', '--name', 'av-created', IMAGE, 'true']);
  const mounts = await mountsOf('av-created');
  assert.equal(mounts.length, 1, JSON.stringify(mounts));
  const [m] = mounts;
  assert.equal(m!.Type, 'volume');
  assert.match(m!.Name!, /^[0-9a-f]{64}$/);
  assert.equal(m!.Destination, '/data');
  assert.equal(m!.Driver, 'local');
  assert.equal(m!.RW, true);
  assert.equal(m!.Source, join(h.config.root, 'volumes', m!.Name!, '_data'));
  assert.deepEqual(JSON.parse(await ok(['inspect', '-f', '{{json .Config.Volumes}}', 'av-created'])), { '/data': {} });
  assert.deepEqual(await volumeNames(), [...before, m!.Name!].sort());
  const [v] = JSON.parse(await ok(['volume', 'inspect', m!.Name!])) as { Labels: Record<string, string>; Driver: string }[];
  assert.deepEqual(v!.Labels, { [ANONYMOUS]: '' });

  // Before any start: the image's content is already in the volume, and `docker cp` writes into it.
  const file = join(work, 'copied.txt');
  await writeFile(file, 'from cp\n');
  await ok(['cp', file, 'av-created:/data/copied.txt']);
  const seen = await ok(['run', '--rm', '--volumes-from', 'av-created', 'busybox', 'sh', '-c', 'cat /data/greeting /data/sub/file /data/copied.txt']);
  assert.equal(seen, 'hello\ndeep\nfrom cp\n');

  // In use from create on: volume rm is a 409 naming the container.
  const busy = await h.docker(['volume', 'rm', m!.Name!]);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /volume is in use/);
  const busyApi = await raw('DELETE', `/v1.47/volumes/${m!.Name!}`);
  assert.equal(busyApi.status, 409);

  await ok(['rm', '-v', 'av-created']);
  assert.deepEqual(await volumeNames(), before);
});

test('data written to the volume outlives `docker rm`; --volumes-from sees it; rm -v and prune remove it', async () => {
  const before = await volumeNames();
  const out = await ok(['run', '--name', 'av-writer', IMAGE, 'sh', '-c', 'cat /data/greeting; stat -c %u:%g:%a /data; echo written > /data/new']);
  assert.equal(out, 'hello\n1000:1001:750\n', 'content, owner and mode come from the image');
  const [m] = await mountsOf('av-writer');
  const name = m!.Name!;

  // Another container with --volumes-from mounts the same volume (and holds a reference to it).
  await ok(['create', '--name', 'av-reader', '--volumes-from', 'av-writer:ro', 'busybox', 'sh', '-c', 'cat /data/new; touch /data/x || echo read-only']);
  const reader = await mountsOf('av-reader');
  assert.deepEqual(reader.map((r) => [r.Type, r.Name, r.Destination, r.RW]), [['volume', name, '/data', false]]);
  await ok(['start', '-a', 'av-reader']).then((o) => assert.match(o, /^written\n.*read-only\n$/s));

  await ok(['rm', 'av-writer']);
  assert.ok((await volumeNames()).includes(name), 'plain rm keeps the anonymous volume');
  // rm -v of the source while another container uses the volume keeps it, as dockerd does.
  await ok(['run', '--name', 'av-writer2', '--volumes-from', 'av-reader', 'busybox', 'true']);
  await ok(['rm', '-v', 'av-reader']);
  assert.ok((await volumeNames()).includes(name), 'rm -v keeps a volume another container still mounts');
  assert.equal(await ok(['run', '--rm', '-v', `${name}:/d`, 'busybox', 'cat', '/d/new']), 'written\n');

  // The last user gone with rm -v: the inherited anonymous volume goes too.
  await ok(['rm', '-v', 'av-writer2']);
  assert.deepEqual(await volumeNames(), before);

  // Kept by plain rm, then taken by volume prune (anonymous only), while named volumes stay.
  await ok(['volume', 'create', 'av-named']);
  await ok(['run', '--name', 'av-left', IMAGE, 'true']);
  const [left] = await mountsOf('av-left');
  await ok(['rm', 'av-left']);
  const pruned = await ok(['volume', 'prune', '-f']);
  assert.match(pruned, new RegExp(`^${left!.Name!}$`, 'm'));
  assert.doesNotMatch(pruned, /av-named/);
  assert.deepEqual(await volumeNames(), [...before, 'av-named'].sort());
  await ok(['volume', 'rm', 'av-named']);
});

test('docker run --rm removes its anonymous volumes; a named volume stays', async () => {
  const before = await volumeNames();
  assert.equal(await ok(['run', '--rm', '-v', 'av-keep:/keep', IMAGE, 'sh', '-c', 'ls /data; echo k > /keep/k']), 'greeting\nsub\n');
  assert.deepEqual(await volumeNames(), [...before, 'av-keep'].sort());
  await ok(['volume', 'rm', 'av-keep']);
});

test('a bind or named volume at the same path wins over the image VOLUME; no anonymous volume is made', async () => {
  const before = await volumeNames();
  const dir = await mkdtemp(join(work, 'bind-'));
  await writeFile(join(dir, 'host.txt'), 'host\n');
  await ok(['create', '--name', 'av-bind', '-v', `${dir}:/data`, IMAGE, 'ls', '/data']);
  assert.deepEqual((await mountsOf('av-bind')).map((m) => [m.Type, m.Source, m.Destination]), [['bind', dir, '/data']]);
  // The mounts are resolved at create: `docker cp` before the first start writes through the bind.
  await ok(['cp', join(dir, 'host.txt'), 'av-bind:/data/copied.txt']);
  assert.equal(await readFile(join(dir, 'copied.txt'), 'utf8'), 'host\n');
  assert.equal(await ok(['start', '-a', 'av-bind']), 'copied.txt\nhost.txt\n');
  assert.deepEqual(await volumeNames(), before);
  await ok(['rm', '-v', 'av-bind']);

  assert.equal(await ok(['run', '--rm', '--mount', 'type=volume,src=av-over,dst=/data', IMAGE, 'cat', '/data/greeting']), 'hello\n', 'a fresh named volume is filled from the image');
  assert.deepEqual(await volumeNames(), [...before, 'av-over'].sort(), 'only the named volume exists');
  await ok(['volume', 'rm', 'av-over']);
});

test('Config.Volumes through dockerode: a volume at create, archive PUT into it, removed with v=1', async () => {
  const before = await volumeNames();
  const c = await h.dockerode.createContainer({ Image: 'busybox', Cmd: ['cat', '/vol1/put.txt', '/vol1/hello'], Volumes: { '/vol1': {} } });
  const info = await c.inspect();
  assert.deepEqual(info.Config.Volumes, { '/vol1': {} });
  const vol = info.Mounts.find((m) => m.Destination === '/vol1');
  assert.ok(vol && vol.Type === 'volume' && vol.Name && vol.RW, JSON.stringify(info.Mounts));

  // The raw PUT the SDKs send, before the first start.
  const put = await raw('PUT', `/v1.47/containers/${c.id}/archive?path=/vol1`, await tarOf('put.txt', 'put\n'));
  assert.equal(put.status, 200, put.body);
  await c.putArchive(await tarOf('hello', 'hi\n'), { path: '/vol1' });
  await c.start();
  assert.equal(((await c.wait()) as { StatusCode: number }).StatusCode, 0);
  const logs = (await c.logs({ stdout: true, follow: false })).toString('latin1');
  assert.match(logs, /put\n[\s\S]*hi\n/);
  assert.ok((await volumeNames()).includes(vol.Name!));

  await c.remove({ v: true });
  assert.deepEqual(await volumeNames(), before);
});

test('container prune keeps anonymous volumes; system prune --volumes takes them with their containers, not named ones', async () => {
  const before = await volumeNames();
  await ok(['volume', 'create', 'av-named-kept']);
  await ok(['create', '--name', 'av-pruned1', IMAGE, 'true']);
  const [first] = await mountsOf('av-pruned1');
  await ok(['container', 'prune', '-f']);
  assert.ok((await volumeNames()).includes(first!.Name!), 'container prune removes containers as plain rm does');
  await ok(['create', '--name', 'av-pruned2', IMAGE, 'true']);
  const [second] = await mountsOf('av-pruned2');
  const out = await ok(['system', 'prune', '-f', '--volumes']);
  assert.match(out, new RegExp(`^${first!.Name!}$`, 'm'));
  assert.match(out, new RegExp(`^${second!.Name!}$`, 'm'));
  assert.deepEqual(await volumeNames(), [...before, 'av-named-kept'].sort());
  await ok(['volume', 'rm', 'av-named-kept']);
});
