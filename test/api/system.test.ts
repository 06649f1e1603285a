import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

let h: ApiHarness;
before(async () => { h = await startApiServer('sys'); });
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function raw(method: string, path: string, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method, path, headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('_ping answers OK with the version headers, GET and HEAD, with and without a version prefix', async () => {
  for (const [m, p] of [['GET', '/_ping'], ['HEAD', '/_ping'], ['GET', '/v1.41/_ping']] as const) {
    const r = await raw(m, p);
    assert.equal(r.status, 200);
    assert.equal(r.headers['api-version'], '1.47');
    assert.equal(r.headers.ostype, 'linux');
    assert.equal(r.headers['docker-experimental'], 'false');
    if (m === 'GET') assert.equal(r.body, 'OK');
  }
});

test('unknown routes and versions get Docker-shaped JSON errors', async () => {
  const r = await raw('GET', '/v1.47/nope');
  assert.equal(r.status, 404);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(r.body), { message: 'page not found' });
  const old = await raw('GET', '/v1.12/info');
  assert.equal(old.status, 400);
  assert.match(JSON.parse(old.body).message, /client version 1.12 is too old/);
  const nw = await raw('GET', '/v1.99/info');
  assert.match(JSON.parse(nw.body).message, /client version 1.99 is too new/);
});

test('docker version and docker info', async () => {
  const v = await h.docker(['version', '--format', '{{.Server.APIVersion}} {{.Server.Os}}']);
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout.trim(), '1.47 linux');
  const i = await h.docker(['info', '--format', '{{.Driver}} {{.OSType}} {{.CgroupDriver}} {{.Images}} {{.Swarm.LocalNodeState}}']);
  assert.equal(i.code, 0, i.stderr);
  assert.equal(i.stdout.trim(), 'overlay2 linux cgroupfs 1 inactive');
  const full = await h.docker(['info']);
  assert.equal(full.code, 0, full.stderr);
  assert.match(full.stdout, /Server Version: 0\.1\.0/);
  assert.doesNotMatch(full.stderr, /error/i);
});

test('docker events replays with --since/--until and filters', async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  h.t.engine.images.tag('busybox', 'evtest:one');
  const until = Math.floor(Date.now() / 1000) + 1;
  const r = await h.docker(['events', '--since', String(since), '--until', String(until), '--filter', 'type=image', '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^image tag evtest:one$/m);
  const none = await h.docker(['events', '--since', String(since), '--until', String(until), '--filter', 'type=container']);
  assert.equal(none.stdout.trim(), '');
});
