import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

/*
 * Two containers share a volume. One swaps a directory of it for a symlink to `/` as fast as it
 * can while `docker cp` copies out of and into the other through that directory. Resolved by
 * host path, the link would lead to the host's root; resolved as the container sees it, it leads
 * to the container's own root. The host directory named in the copies must never be read or
 * written.
 */

let h: ApiHarness;
let hostDir: string;
const secret = `host-secret-${randomBytes(8).toString('hex')}`;
const ROUNDS = 100;
/** A copy that has not answered in this long never will: the test fails instead of hanging. */
const STUCK_MS = 180_000;

before(async () => {
  h = await startApiServer('cprace');
  hostDir = await mkdtemp(join(tmpdir(), 'wharf-cp-race-'));
  await writeFile(join(hostDir, 'secret.txt'), `${secret}\n`);
  await h.ok(['volume', 'create', 'cprace-vol']);
  await h.ok(['run', '-d', '--name', 'cprace-target', '-v', 'cprace-vol:/v', 'busybox', 'sleep', '1000']);
  // In the directory phase the path exists inside the volume (with a decoy), in the link phase it leads to `/`.
  const swap = `while :; do mkdir -p /v/d${hostDir}; echo inside > /v/d${hostDir}/secret.txt; rm -rf /v/d; ln -s / /v/d; rm /v/d; done`;
  await h.ok(['run', '-d', '--name', 'cprace-swapper', '-v', 'cprace-vol:/v', 'busybox', 'sh', '-c', swap]);
});

after(async () => {
  await h.docker(['rm', '-f', 'cprace-target', 'cprace-swapper']);
  await h.docker(['volume', 'rm', 'cprace-vol']);
  const left = await h.close();
  await rm(hostDir, { recursive: true, force: true });
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function request(method: string, path: string, body?: Buffer): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve) => {
    const req = http.request({ socketPath: h.socket, method, path, headers: body ? { 'Content-Type': 'application/x-tar', 'Content-Length': body.length } : {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
    });
    // A copy cut short by the race ends the connection; that is an answer too (status 0), never a leak.
    req.on('error', () => resolve({ status: 0, body: Buffer.alloc(0) }));
    req.setTimeout(STUCK_MS, () => { resolve({ status: -1, body: Buffer.alloc(0) }); req.destroy(); });
    req.end(body);
  });
}

async function oneFileTar(name: string, data: string): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name }, data);
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

test('docker cp never follows a symlink swapped in by another container out of the container', async () => {
  const q = (p: string) => encodeURIComponent(p);
  const upload = await oneFileTar('pwned.txt', 'written through the race\n');
  const statuses = new Map<number, number>();
  const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
  for (let i = 0; i < ROUNDS; i++) {
    const file = await request('GET', `/containers/cprace-target/archive?path=${q(`/v/d${hostDir}/secret.txt`)}`);
    count(file.status);
    assert.ok(!file.body.includes(secret), `round ${i}: a host file was read through the volume`);
    const dir = await request('GET', `/containers/cprace-target/archive?path=${q(`/v/d${hostDir}`)}`);
    count(dir.status);
    assert.ok(!dir.body.includes(secret), `round ${i}: a host directory was archived through the volume`);
    const put = await request('PUT', `/containers/cprace-target/archive?path=${q(`/v/d${hostDir}`)}`, upload);
    count(put.status);
    if (i % 25 === 0) {
      const cli = await h.docker(['cp', `cprace-target:/v/d${hostDir}/secret.txt`, '-']);
      assert.ok(!cli.stdout.includes(secret), `round ${i}: docker cp read a host file`);
    }
  }
  assert.deepEqual(await readdir(hostDir), ['secret.txt'], 'nothing was written in the host directory');
  assert.equal(await readFile(join(hostDir, 'secret.txt'), 'utf8'), `${secret}\n`);
  // The swapper really ran all along: it is still running, and the copies got answers.
  assert.equal((await h.ok(['inspect', '-f', '{{.State.Running}}', 'cprace-swapper'])).trim(), 'true');
  assert.equal([...statuses.values()].reduce((a, b) => a + b, 0), ROUNDS * 3);
  assert.ok(!statuses.has(-1), 'every copy was answered');
});
