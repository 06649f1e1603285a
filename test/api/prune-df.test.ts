import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import type { HostConfig } from '../../runtime/index.ts';

interface Summary { Id: string; RepoTags: string[]; Size: number; SharedSize: number; Containers: number; SizeRw: number; SizeRootFs: number; Name: string; UsageData: unknown }
interface DiskUsage { LayersSize: number; Images: Summary[]; Containers: Summary[]; Volumes: Summary[]; BuildCache: unknown[] }

let h: ApiHarness;
let work: string;
before(async () => {
  h = await startApiServer('prunedf');
  work = await mkdtemp(join(tmpdir(), 'wharf-test-prunedf-files-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function call<T = Record<string, unknown>>(method: string, path: string, body?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method, path, headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve(JSON.parse(text) as T));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const get = (path: string): Promise<DiskUsage> => call<DiskUsage>('GET', path);

const ok = (args: string[], input?: string): Promise<string> => h.ok(args, input);

async function runToExit(cmd: string[], hostConfig: HostConfig = {}): Promise<string> {
  const e = h.t.engine;
  const c = await e.containers.create({ config: { Image: 'busybox', Cmd: cmd }, hostConfig });
  const waited = e.containers.wait(c.id, 'next-exit');
  await e.containers.start(c.id);
  assert.equal((await waited).StatusCode, 0);
  return c.id;
}

/** A one-file filesystem tar: two imports of it share their only layer. */
async function tinyTar(): Promise<string> {
  const dir = join(work, 'tiny');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'payload'), Buffer.alloc(3000, 'p'));
  const file = join(work, 'tiny.tar');
  execFileSync('tar', ['-C', dir, '-cf', file, '.']);
  return file;
}

test('docker system df and df -v: images with containers and shared bytes, container sizes, volume usage', async () => {
  const cid = await runToExit(['sh', '-c', 'head -c 1000 /dev/zero > /data/blob; head -c 5000 /dev/zero > /rw-file'], { Binds: ['df-vol:/data'] });
  const tar = await tinyTar();
  const a = (await ok(['import', '-c', 'ENV WHICH=a', tar, 'df-a:1'])).trim();
  const b = (await ok(['import', '-c', 'ENV WHICH=b', tar, 'df-b:1'])).trim();

  const df = await get('/v1.47/system/df');
  assert.deepEqual(df.BuildCache, []);
  const images = df.Images;
  const bb = images.find((i) => i.RepoTags.includes('busybox:latest'))!;
  assert.equal(bb.Containers, 1);
  assert.equal(bb.SharedSize, 0);
  const ia = images.find((i) => i.Id === a)!;
  const ib = images.find((i) => i.Id === b)!;
  assert.equal(ia.Containers, 0);
  assert.equal(ia.SharedSize, ia.Size, 'the only layer is shared with the other import');
  assert.equal(ib.SharedSize, ib.Size);
  assert.equal(df.LayersSize, bb.Size + ia.Size, 'a shared layer counts once');
  const [c] = df.Containers;
  assert.equal(c!.Id, cid);
  assert.ok(c!.SizeRw >= 5000, `SizeRw ${c!.SizeRw}`);
  assert.equal(c!.SizeRootFs, c!.SizeRw + bb.Size);
  const [v] = df.Volumes;
  assert.equal(v!.Name, 'df-vol');
  assert.deepEqual(v!.UsageData, { Size: 1000, RefCount: 1 });
  const onlyVolumes = await get('/v1.47/system/df?type=volume');
  assert.deepEqual(Object.keys(onlyVolumes), ['Volumes']);

  const table = await ok(['system', 'df']);
  assert.match(table, /^Images\s+3\s+1\s/m);
  assert.match(table, /^Containers\s+1\s+0\s/m);
  assert.match(table, /^Local Volumes\s+1\s+1\s+1kB\s/m);
  const verbose = await ok(['system', 'df', '-v']);
  assert.match(verbose, /^busybox\s+latest\s+[0-9a-f]{12}\s.*\s1$/m, 'busybox has one container');
  assert.match(verbose, new RegExp(`^${cid.slice(0, 12)}\\s+busybox\\s.*\\s1\\s+`, 'm'), 'the container has one local volume');
  assert.match(verbose, /^df-vol\s+1\s+1kB$/m);
  await h.t.engine.containers.remove(cid);
});

test('image, volume and network prune through docker system prune', async () => {
  const tar = await tinyTar();
  const dangling = (await ok(['import', '-c', 'ENV V=1', tar, 'sp-moving:1'])).trim();
  const kept = (await ok(['import', '-c', 'ENV V=2', tar, 'sp-moving:1'])).trim();
  const stopped = await runToExit(['true']);
  const anonymous = await call<{ Name: string }>('POST', '/v1.47/volumes/create', '{}');
  await ok(['volume', 'create', 'sp-named']);
  await ok(['network', 'create', 'sp-net']);

  const out = await ok(['system', 'prune', '-f']);
  assert.match(out, new RegExp(`Deleted Containers:\\n${stopped}`));
  assert.match(out, /Deleted Networks:\nsp-net/);
  assert.match(out, new RegExp(`deleted: ${dangling}`));
  assert.equal(h.t.engine.containers.find(stopped), undefined);
  assert.equal(h.t.engine.networks.find('sp-net'), undefined);
  assert.equal(h.t.engine.images.get(dangling), undefined);
  assert.ok(h.t.engine.images.get(kept), 'tagged images stay');
  assert.ok(h.t.engine.images.find('busybox'));
  assert.ok(h.t.engine.volumes.find(anonymous.Name), 'volumes stay without --volumes');

  const withVolumes = await ok(['system', 'prune', '-f', '--volumes']);
  assert.match(withVolumes, new RegExp(`Deleted Volumes:\\n${anonymous.Name}`));
  assert.equal(h.t.engine.volumes.find(anonymous.Name), undefined);
  assert.ok(h.t.engine.volumes.find('sp-named'), 'named volumes need volume prune --all');
  assert.equal(h.t.engine.networks.list().length, 3, 'pre-defined networks are never pruned');

  const everything = h.t.engine.images.list().map((r) => r.id).sort();
  assert.ok(everything.includes(kept) && everything.includes(h.t.engine.images.resolve('busybox').id));
  const report = await call<{ ImagesDeleted: { Deleted?: string }[]; SpaceReclaimed: number }>('POST', `/v1.47/images/prune?filters=${encodeURIComponent('{"dangling":["false"]}')}`);
  assert.deepEqual(report.ImagesDeleted.flatMap((d) => d.Deleted ?? []).sort(), everything);
  assert.ok(report.SpaceReclaimed > 3000, 'the layers of the deleted images are reclaimed');
  assert.deepEqual(h.t.engine.images.list(), [], 'prune -a removes every unused image');
  await h.t.engine.images.ensureBusybox();
});
