import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { demux } from '../helpers/stdcopy.ts';

/** The parts of `docker image inspect` these tests read. */
interface ImageInspect {
  Id: string; RepoTags: string[]; Os: string; Created: string; Comment: string; VirtualSize?: number;
  GraphDriver: { Name: string; Data: Record<string, string> };
  RootFS: { Type: string; Layers: string[] };
  Config: { Cmd: string[] | null; Env: string[] | null; Labels: Record<string, string> | null };
  Metadata: { LastTagTime?: string };
}

let h: ApiHarness;
let work: string;
let busyboxId: string;

before(async () => {
  h = await startApiServer('images');
  work = await mkdtemp(join(tmpdir(), 'wharf-test-images-files-'));
  busyboxId = (await imageId('busybox'))!;
});
after(async () => {
  await rm(work, { recursive: true, force: true });
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function raw(method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method, path }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end();
  });
}

const ok = (args: string[], input?: string): Promise<string> => h.ok(args, input);

/** A root filesystem with busybox's sh and a file, as a tar (gzip when asked). */
async function rootfsTar(name: string, greeting: string, gzip = false): Promise<string> {
  const dir = join(work, name);
  await mkdir(join(dir, 'bin'), { recursive: true });
  await mkdir(join(dir, 'data'), { recursive: true });
  await copyFile(existsSync('/bin/busybox') ? '/bin/busybox' : '/usr/bin/busybox', join(dir, 'bin/busybox'));
  await symlink('busybox', join(dir, 'bin/sh'));
  await symlink('busybox', join(dir, 'bin/cat'));
  await writeFile(join(dir, 'data/greeting'), `${greeting}\n`);
  const file = join(work, `${name}.tar${gzip ? '.gz' : ''}`);
  execFileSync('tar', ['-C', dir, gzip ? '-czf' : '-cf', file, '.']);
  return file;
}

/** Creates, starts and waits for a container of `image`; its exit code and log (both streams). */
async function runInEngine(image: string, cmd?: string[]): Promise<{ code: number; out: string }> {
  const c = await h.dockerode.createContainer({ Image: image, ...(cmd ? { Cmd: cmd } : {}) });
  await c.start();
  const code = ((await c.wait()) as { StatusCode: number }).StatusCode;
  const out = demux(await c.logs({ stdout: true, stderr: true, follow: false })).map((f) => f.text).join('');
  await c.remove();
  return { code, out };
}

/** The id of the image `ref` names, or undefined when the engine has none. */
async function imageId(ref: string): Promise<string | undefined> {
  const r = await raw('GET', `/v1.47/images/${ref}/json`);
  if (r.status === 404) return undefined;
  assert.equal(r.status, 200, r.body);
  return (JSON.parse(r.body) as ImageInspect).Id;
}

async function blobs(): Promise<string[]> {
  return (await readdir(join(h.config.root, 'content/blobs/sha256'))).sort();
}

test('docker images: table, -a, --digests, --format, --no-trunc ids', async () => {
  const table = await ok(['images']);
  assert.match(table, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/m);
  assert.match(table, new RegExp(`^busybox\\s+latest\\s+${busyboxId.slice(7, 19)}\\s`, 'm'));
  assert.match(await ok(['images', '-a']), /^busybox\s+latest/m);
  assert.match(await ok(['images', '--digests']), /^busybox\s+latest\s+<none>\s+[0-9a-f]{12}/m);
  assert.equal((await ok(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])).trim(), `busybox:latest ${busyboxId.slice(7, 19)}`);
  assert.equal((await ok(['images', '-q', '--no-trunc'])).trim(), busyboxId);
});

test('GET /images/json: Docker 1.47 summary shape, VirtualSize only for old clients, unknown filters refused', async () => {
  const list = JSON.parse((await raw('GET', '/v1.47/images/json')).body) as Record<string, unknown>[];
  const bb = list.find((i) => i.Id === busyboxId)!;
  assert.deepEqual(Object.keys(bb).sort(), ['Containers', 'Created', 'Id', 'Labels', 'ParentId', 'RepoDigests', 'RepoTags', 'SharedSize', 'Size']);
  assert.equal(bb.Containers, -1);
  assert.equal(bb.SharedSize, -1);
  assert.deepEqual(bb.RepoTags, ['busybox:latest']);
  const old = JSON.parse((await raw('GET', '/v1.43/images/json')).body) as Record<string, unknown>[];
  assert.equal(old.find((i) => i.Id === busyboxId)!.VirtualSize, bb.Size);
  const shared = JSON.parse((await raw('GET', '/v1.47/images/json?shared-size=1')).body) as Record<string, unknown>[];
  assert.equal(shared.find((i) => i.Id === busyboxId)!.SharedSize, 0);
  const bad = await raw('GET', `/v1.47/images/json?filters=${encodeURIComponent('{"colour":["red"]}')}`);
  assert.equal(bad.status, 400);
  assert.match(bad.body, /invalid filter 'colour'/);
});

test('docker image inspect and docker history', async () => {
  const [img] = JSON.parse(await ok(['image', 'inspect', 'busybox'])) as ImageInspect[];
  assert.equal(img!.Id, busyboxId);
  assert.deepEqual(img!.RepoTags, ['busybox:latest']);
  assert.equal(img!.Os, 'linux');
  assert.equal(img!.GraphDriver.Name, 'overlay2');
  assert.match(img!.GraphDriver.Data.UpperDir ?? '', /\/snapshots\/\d+\/fs$/);
  assert.equal(img!.RootFS.Type, 'layers');
  assert.equal(img!.RootFS.Layers.length, 1);
  assert.deepEqual(img!.Config.Cmd, ['sh']);
  assert.ok(!Number.isNaN(Date.parse(img!.Created)));
  assert.equal(img!.VirtualSize, undefined);
  const missing = await h.docker(['image', 'inspect', 'nosuchimage']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /No such image: nosuchimage/);

  const hist = await ok(['history', '--format', '{{.ID}}|{{.CreatedBy}}|{{.Size}}', 'busybox']);
  const rows = hist.trim().split('\n').map((l) => l.split('|'));
  assert.equal(rows.length, 2);
  assert.equal(rows[0]![0], busyboxId.slice(7, 19));
  assert.equal(rows[0]![1], 'CMD ["sh"]');
  assert.equal(rows[0]![2], '0B');
  assert.equal(rows[1]![0], '<missing>');
  assert.match(rows[1]![2]!, /MB$/);
});

test('docker tag and rmi with registry names that have ports and slashes', async () => {
  const name = 'example.com:5000/team/tool:1.0';
  await ok(['tag', 'busybox', name]);
  assert.match(await ok(['images']), /^example\.com:5000\/team\/tool\s+1\.0\s/m);
  const [img] = JSON.parse(await ok(['image', 'inspect', name])) as ImageInspect[];
  assert.equal(img!.Id, busyboxId);
  assert.ok(img!.Metadata.LastTagTime, 'a local tag records LastTagTime');
  const r = await raw('GET', `/v1.47/images/${name}/json`);
  assert.equal(r.status, 200);
  assert.equal((await raw('GET', `/v1.47/images/${name}/history`)).status, 200);
  assert.equal((await ok(['rmi', name])).trim(), `Untagged: ${name}`);
  assert.equal(await imageId(name), undefined);
  assert.equal(await imageId('busybox'), busyboxId, 'untagging one name keeps the image');
  const bad = await h.docker(['tag', 'busybox', 'Bad:Name']);
  assert.notEqual(bad.code, 0);
});

test('docker rmi: 404, conflict with a container, several names need -f', async () => {
  const nf = await raw('DELETE', '/v1.47/images/nosuchimage');
  assert.equal(nf.status, 404);
  assert.deepEqual(JSON.parse(nf.body), { message: 'No such image: nosuchimage' });

  const c = await h.dockerode.createContainer({ Image: 'busybox', Cmd: ['true'] });
  const used = await h.docker(['rmi', 'busybox']);
  assert.notEqual(used.code, 0);
  assert.match(used.stderr, new RegExp(`conflict: unable to remove repository reference "busybox" \\(must force\\) - container ${c.id.slice(0, 12)} is using its referenced image ${busyboxId.slice(7, 19)}`));
  const status = await raw('DELETE', '/v1.47/images/busybox');
  assert.equal(status.status, 409);
  await c.remove();

  await ok(['tag', 'busybox', 'twin:a']);
  await ok(['tag', 'busybox', 'twin:b']);
  const multi = await h.docker(['rmi', busyboxId.slice(7, 19)]);
  assert.notEqual(multi.code, 0);
  assert.match(multi.stderr, /image is referenced in multiple repositories/);
  assert.equal((await ok(['rmi', 'twin:a', 'twin:b'])).trim(), 'Untagged: twin:a\nUntagged: twin:b');
  assert.equal(await imageId('busybox'), busyboxId);
});

test('docker save and load: round trip keeps the id; a corrupt or truncated archive changes nothing', async () => {
  const file = join(work, 'busybox.tar');
  await ok(['save', '-o', file, 'busybox']);
  assert.ok((await stat(file)).size > 1_000_000);
  assert.match(execFileSync('tar', ['-tf', file]).toString(), /^manifest\.json$/m);
  await ok(['rmi', 'busybox']);
  assert.equal(await imageId('busybox'), undefined);
  assert.equal((await ok(['load', '-i', file])).trim(), 'Loaded image: busybox:latest');
  assert.equal(await imageId('busybox'), busyboxId);
  const run = await runInEngine('busybox', ['echo', 'reloaded']);
  assert.deepEqual(run, { code: 0, out: 'reloaded\n' });

  const beforeImages = await ok(['images', '-q', '--no-trunc']);
  const beforeBlobs = await blobs();
  const corrupt = join(work, 'corrupt.tar');
  await writeFile(corrupt, Buffer.alloc(4096, 'not a tar archive '));
  const bad = await h.docker(['load', '-i', corrupt]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /invalid image archive/);

  // An image whose blobs are not in the store yet, cut short near the end of the archive.
  const src = await rootfsTar('truncated', 'cut');
  await ok(['import', src, 'cut:1']);
  const cutFile = join(work, 'cut.tar');
  await ok(['save', '-o', cutFile, 'cut:1']);
  await ok(['rmi', 'cut:1']);
  // Cut inside the header after the last blob: every blob is in, manifest.json never arrives.
  const listing = execFileSync('tar', ['-tvR', '-f', cutFile]).toString();
  const block = Number(/^block (\d+): .* index\.json$/m.exec(listing)![1]);
  await truncate(cutFile, block * 512 + 100);
  const cut = await h.docker(['load', '-i', cutFile]);
  assert.notEqual(cut.code, 0);
  assert.equal(await ok(['images', '-q', '--no-trunc']), beforeImages);
  assert.deepEqual(await blobs(), beforeBlobs);
});

test('docker import: a directory tar becomes a runnable image; changes and message land in the config', async () => {
  const tgz = await rootfsTar('rootfs', 'hello from import', true);
  const out = await ok(['import', '-c', 'CMD ["/bin/sh", "-c", "cat /data/greeting; echo $MOOD"]', '-c', 'ENV MOOD=calm', '-c', 'LABEL team=infra', '-m', 'first import', tgz, 'imported:1']);
  const id = out.trim();
  assert.match(id, /^sha256:[0-9a-f]{64}$/);
  const [img] = JSON.parse(await ok(['image', 'inspect', 'imported:1'])) as ImageInspect[];
  assert.equal(img!.Id, id);
  assert.equal(img!.Comment, 'first import');
  assert.deepEqual(img!.Config.Env, ['MOOD=calm']);
  assert.deepEqual(img!.Config.Labels, { team: 'infra' });
  assert.equal(img!.RootFS.Layers.length, 1);
  assert.match(await ok(['history', '--format', '{{.Comment}}', 'imported:1']), /^first import$/m);
  assert.match(await ok(['images', '--filter', 'label=team=infra', '--format', '{{.Repository}}']), /^imported$/m);
  assert.deepEqual(await runInEngine('imported:1'), { code: 0, out: 'hello from import\ncalm\n' });

  const plain = await rootfsTar('rootfs2', 'plain tar');
  await ok(['import', plain, 'plain:1']);
  assert.deepEqual(await runInEngine('plain:1', ['/bin/cat', '/data/greeting']), { code: 0, out: 'plain tar\n' });

  const badChange = await h.docker(['import', '-c', 'RUN rm -rf /', plain, 'nope:1']);
  assert.notEqual(badChange.code, 0);
  assert.match(badChange.stderr, /run is not a valid change command/);
  const junk = join(work, 'junk.tar');
  await writeFile(junk, Buffer.alloc(2048, 'junk'));
  const beforeBlobs = await blobs();
  const badTar = await h.docker(['import', junk, 'nope:2']);
  assert.notEqual(badTar.code, 0);
  assert.match(badTar.stderr, /invalid layer archive/);
  assert.deepEqual(await blobs(), beforeBlobs);
  assert.equal(await imageId('nope:1') ?? await imageId('nope:2'), undefined);
});

test('docker import --change: every instruction Docker allows lands in the image config', async () => {
  const changes = [
    'EXPOSE 80 8000-8001/udp', 'VOLUME /data /logs', 'WORKDIR /srv', 'WORKDIR app', 'ENTRYPOINT ["/bin/sh"]', 'USER nobody',
    'STOPSIGNAL SIGINT', 'HEALTHCHECK --interval=5s --retries=2 CMD echo ok', 'ENV A="x y" B=2', 'ENV LEGACY some value', 'ONBUILD RUN true',
  ];
  await ok(['import', ...changes.flatMap((c) => ['-c', c]), await rootfsTar('changes', 'c'), 'changes:1']);
  const config = JSON.parse(await ok(['image', 'inspect', '--format', '{{json .Config}}', 'changes:1'])) as Record<string, unknown>;
  assert.deepEqual(config.ExposedPorts, { '80/tcp': {}, '8000/udp': {}, '8001/udp': {} });
  assert.deepEqual(config.Volumes, { '/data': {}, '/logs': {} });
  assert.equal(config.WorkingDir, '/srv/app');
  assert.deepEqual(config.Entrypoint, ['/bin/sh']);
  assert.ok(config.Cmd == null, 'a new ENTRYPOINT drops CMD');
  assert.equal(config.User, 'nobody');
  assert.equal(config.StopSignal, 'SIGINT');
  assert.deepEqual(config.Healthcheck, { Test: ['CMD-SHELL', 'echo ok'], Interval: 5_000_000_000, Retries: 2 });
  assert.deepEqual(config.Env, ['A=x y', 'B=2', 'LEGACY=some value']);
  assert.deepEqual(config.OnBuild, ['RUN true']);
  const bad = await h.docker(['import', '-c', 'EXPOSE eighty', await rootfsTar('changes2', 'c'), 'changes:2']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /invalid containerPort: eighty/);
});

test('dangling images, reference/before/since filters, and docker image prune', async () => {
  const one = (await ok(['import', await rootfsTar('d1', 'one'), 'moving:tag'])).trim();
  const two = (await ok(['import', await rootfsTar('d2', 'two'), 'moving:tag'])).trim();
  assert.notEqual(one, two);
  const dangling = await ok(['images', '--filter', 'dangling=true', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']);
  assert.match(dangling, new RegExp(`^${one.slice(7, 19)} <none>:<none>$`, 'm'));
  assert.doesNotMatch(dangling, /busybox/);
  assert.doesNotMatch(await ok(['images', '--filter', 'dangling=false', '--format', '{{.ID}}']), new RegExp(one.slice(7, 19)));
  assert.equal((await ok(['images', '--filter', 'reference=mov*', '--format', '{{.Repository}}:{{.Tag}}'])).trim(), 'moving:tag');
  assert.equal((await ok(['images', '--filter', 'reference=busy*:lat*', '--format', '{{.Repository}}'])).trim(), 'busybox');
  const since = await ok(['images', '--filter', 'since=busybox', '--format', '{{.Repository}}']);
  assert.match(since, /^moving$/m);
  assert.doesNotMatch(since, /^busybox$/m);
  assert.doesNotMatch(await ok(['images', '--filter', 'before=busybox', '--format', '{{.Repository}}']), /busybox|moving/);

  const c = await h.dockerode.createContainer({ Image: 'moving:tag', Cmd: ['/bin/sh'] });
  const pruned = await ok(['image', 'prune', '-f']);
  assert.match(pruned, new RegExp(`deleted: ${one}`));
  assert.equal(await imageId(one), undefined);
  assert.ok(await imageId(two), 'tagged images stay');

  const all = await ok(['image', 'prune', '-a', '-f']);
  assert.doesNotMatch(all, new RegExp(two), 'an image a container uses is never pruned');
  assert.ok(await imageId(two));
  assert.equal(await imageId('plain:1'), undefined, 'unused tagged images go with -a');
  await c.remove();
});

test('docker pull without a registry: up to date when present, a clear error otherwise', async () => {
  // prune -a above took busybox (no container used it): bring a busybox:latest back.
  if (!await imageId('busybox')) await ok(['import', await rootfsTar('busybox-again', 'again'), 'busybox:latest']);
  const here = await h.docker(['pull', 'busybox']);
  assert.equal(here.code, 0, here.stderr);
  assert.match(here.stdout, /Status: Image is up to date for busybox:latest/);
  const missing = await h.docker(['pull', 'example.com/nothing/here:1']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /pull access denied for example\.com\/nothing\/here.*registry access is not available/);
});
