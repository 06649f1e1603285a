/**
 * `docker ps -s` and `system df` read container sizes the engine keeps up to date: each change
 * it knows of (create, docker cp, a run that exits, an exec) is reflected by the next listing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import tar from 'tar-stream';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

let h: ApiHarness;
before(async () => { h = await startApiServer('sizes'); });
after(async () => {
  await h.ok(['rm', '-f', 'sz-created', 'sz-exited', 'sz-running']).catch(() => undefined);
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

interface Summary { Names: string[]; SizeRw: number; SizeRootFs: number }

function get<T>(path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    http.get({ socketPath: h.socket, path }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve(JSON.parse(text) as T));
    }).on('error', reject);
  });
}

async function sizeRw(name: string): Promise<number> {
  const list = await get<Summary[]>(`/v1.47/containers/json?all=1&size=1&filters=${encodeURIComponent(JSON.stringify({ name: [`^/${name}$`] }))}`);
  assert.equal(list.length, 1, name);
  return list[0]!.SizeRw;
}

/** A tar of one file `name` of `size` bytes. */
async function tarOf(name: string, size: number): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name, mode: 0o644 }, Buffer.alloc(size, 'x'));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function putArchive(name: string, tar: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method: 'PUT', path: `/v1.47/containers/${name}/archive?path=/`, headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(tar);
  });
}

test('a new container is 0 B; docker cp into it shows in the next ps -s', async () => {
  await h.ok(['create', '--name', 'sz-created', 'busybox', 'true']);
  assert.equal(await sizeRw('sz-created'), 0);
  assert.equal(await putArchive('sz-created', await tarOf('payload', 20_000)), 200);
  assert.equal(await sizeRw('sz-created'), 20_000);
  const table = await h.ok(['ps', '-a', '-s', '--filter', 'name=sz-created', '--format', '{{.Size}}']);
  assert.match(table, /^20kB \(virtual [\d.]+[kMG]?B\)$/m);
});

test('what a container wrote before it exited is counted once it has exited', async () => {
  await h.ok(['run', '--name', 'sz-exited', '--network', 'none', 'busybox', 'sh', '-c', 'head -c 30000 /dev/zero > /written']);
  assert.ok(await sizeRw('sz-exited') >= 30_000);
  const df = await get<{ Containers: Summary[] }>('/v1.47/system/df?type=container');
  const c = df.Containers.find((x) => x.Names[0] === '/sz-exited')!;
  assert.ok(c.SizeRw >= 30_000 && c.SizeRootFs > c.SizeRw, JSON.stringify(c));
});

test('what an exec wrote is counted once the exec has ended', async () => {
  await h.ok(['run', '-d', '--name', 'sz-running', '--network', 'none', 'busybox', 'sleep', '1000']);
  const before = await sizeRw('sz-running');
  await h.ok(['exec', 'sz-running', 'sh', '-c', 'head -c 40000 /dev/zero > /from-exec']);
  assert.ok(await sizeRw('sz-running') >= before + 40_000);
  await h.ok(['rm', '-f', 'sz-running']);
});
