import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { ensureDebianPackage } from '../helpers/dockerd.ts';
import { registryBaseURL } from '../../runtime/registry/hosts.ts';
import { RegistryClient } from '../../runtime/registry/client.ts';
import { HttpClient } from '../../runtime/registry/http.ts';
import { resolveManifest } from '../../runtime/registry/manifest.ts';
import { decodeRegistryAuth, parseChallenge } from '../../runtime/registry/auth.ts';

const REGISTRY_BIN = '/usr/bin/docker-registry';
let h: ApiHarness;
let dir: string;
let registry: ChildProcess | undefined;
let host: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitForRegistry(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://${host}/v2/`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('registry did not start');
}

before(async () => {
  const missing = await ensureDebianPackage('docker-registry', 'docker-registry');
  if (missing) throw new Error(`the registry tests need Debian's docker-registry: ${missing}`);
  dir = await mkdtemp(join(tmpdir(), 'wharf-registry-test-'));
  host = `127.0.0.1:${await freePort()}`;
  const config = join(dir, 'config.yml');
  await writeFile(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: ${host}\n`);
  registry = spawn(REGISTRY_BIN, ['serve', config], { stdio: 'ignore' });
  await waitForRegistry();
  h = await startApiServer('reg');
});

after(async () => {
  const left = h ? await h.close() : undefined;
  if (registry && registry.exitCode === null) {
    const exited = new Promise((r) => registry!.once('exit', r));
    registry.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
  if (left) assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function raw(method: string, path: string, body?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method, path, headers: body ? { 'Content-Type': 'application/x-tar' } : {} }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const messages = (body: string): Record<string, unknown>[] => body.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

async function fsTar(): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name: 'hello.txt', mode: 0o644 }, `made for the registry test ${dir}\n`);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('docker push then docker pull round-trips busybox through a real registry', async () => {
  const name = `${host}/wharf/busybox:1`;
  const id = (await h.docker(['image', 'inspect', '--format', '{{.Id}}', 'busybox'])).stdout.trim();
  assert.match(id, /^sha256:[a-f0-9]{64}$/);
  assert.equal((await h.docker(['tag', 'busybox', name])).code, 0);

  const push = await h.docker(['push', name]);
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout, /The push refers to repository \[127\.0\.0\.1:\d+\/wharf\/busybox\]/);
  const pushed = /1: digest: (sha256:[a-f0-9]{64}) size: \d+/.exec(push.stdout);
  assert.ok(pushed, push.stdout);
  const tags = await (await fetch(`http://${host}/v2/wharf/busybox/tags/list`)).json() as { tags: string[] };
  assert.deepEqual(tags.tags, ['1']);

  // Pushing again finds every layer in place.
  const again = await h.docker(['push', name]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Layer already exists/);

  const rmi = await h.docker(['rmi', name]);
  assert.equal(rmi.code, 0, rmi.stderr);
  assert.match(rmi.stdout, /Untagged: /);

  const pull = await h.docker(['pull', name]);
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, new RegExp(`Digest: ${pushed[1]}`));
  assert.equal((await h.docker(['image', 'inspect', '--format', '{{.Id}}', name])).stdout.trim(), id);
  const digests = await h.docker(['images', '--digests', '--format', '{{.Repository}} {{.Tag}} {{.Digest}}']);
  assert.match(digests.stdout, new RegExp(`${host.replace(/\./g, '\\.')}/wharf/busybox 1 ${pushed[1]}`));
  const ev = await h.docker(['events', '--since', '0', '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', 'type=image', '--format', '{{.Action}} {{.Actor.ID}}']);
  assert.match(ev.stdout, new RegExp(`pull ${host.replace(/\./g, '\\.')}/wharf/busybox:1`));
  assert.match(ev.stdout, /push .*wharf\/busybox:1/);
  assert.equal((await h.docker(['rmi', name])).code, 0);
  assert.ok((await h.docker(['image', 'inspect', 'busybox'])).code === 0, 'busybox stays');
});

test('pull over the raw API streams per-layer progress for layers not present', async () => {
  const repo = `${host}/wharf/imported`;
  const imp = await raw('POST', `/v1.47/images/create?fromSrc=-&repo=${encodeURIComponent(repo)}&tag=2`, await fsTar());
  assert.equal(imp.status, 200, imp.body);
  const id = (await h.docker(['image', 'inspect', '--format', '{{.Id}}', `${repo}:2`])).stdout.trim();
  const push = await raw('POST', `/v1.47/images/${repo}/push?tag=2`);
  assert.equal(push.status, 200);
  const pm = messages(push.body);
  assert.ok(pm.some((m) => m.status === 'Pushed'), push.body);
  const aux = pm.find((m) => m.aux)?.aux as { Tag: string; Digest: string; Size: number };
  assert.equal(aux.Tag, '2');
  assert.match(aux.Digest, /^sha256:/);
  // Removing the only image with that layer drops its blob and snapshot: the pull must fetch it.
  assert.equal((await h.docker(['rmi', `${repo}:2`])).code, 0);

  const res = await raw('POST', `/v1.47/images/create?fromImage=${encodeURIComponent(repo)}&tag=2`);
  assert.equal(res.status, 200);
  const msgs = messages(res.body);
  assert.ok(!msgs.some((m) => m.error), res.body);
  const layer = msgs.find((m) => m.status === 'Pulling fs layer')?.id as string;
  assert.match(layer, /^[a-f0-9]{12}$/);
  const statuses = msgs.filter((m) => m.id === layer).map((m) => m.status);
  for (const s of ['Downloading', 'Download complete', 'Extracting', 'Pull complete']) assert.ok(statuses.includes(s), `${s} in ${statuses.join(',')}`);
  const dl = msgs.find((m) => m.id === layer && m.status === 'Downloading')!.progressDetail as { current: number; total: number };
  assert.equal(dl.current, dl.total);
  assert.ok(msgs.some((m) => m.status === `Digest: ${aux.Digest}`));
  assert.equal((await h.docker(['image', 'inspect', '--format', '{{.Id}}', `${repo}:2`])).stdout.trim(), id);
  const save = await h.docker(['image', 'inspect', '--format', '{{.RepoDigests}}', `${repo}:2`]);
  assert.match(save.stdout, new RegExp(`wharf/imported@${aux.Digest}`));
  assert.equal((await h.docker(['rmi', `${repo}:2`])).code, 0);
});

test('pulling a missing tag fails inside the stream and the CLI exits non-zero', async () => {
  const name = `${host}/wharf/busybox:nope`;
  const res = await raw('POST', `/v1.47/images/create?fromImage=${encodeURIComponent(`${host}/wharf/busybox`)}&tag=nope`);
  assert.equal(res.status, 200);
  const err = messages(res.body).find((m) => m.errorDetail) as { errorDetail: { message: string } } | undefined;
  assert.match(err?.errorDetail.message ?? '', /not found/);
  const cli = await h.docker(['pull', name]);
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /not found/);
  assert.equal((await h.docker(['image', 'inspect', name])).code, 1);
});

test('pushing an image that does not exist locally is a 404', async () => {
  const res = await raw('POST', `/v1.47/images/${host}/wharf/absent/push?tag=1`);
  assert.equal(res.status, 404);
  assert.match(JSON.parse(res.body).message, /does not exist locally/);
});

test('registry hosts and auth challenges follow Docker rules', () => {
  assert.equal(registryBaseURL('docker.io', {}), 'https://registry-1.docker.io');
  assert.equal(registryBaseURL('localhost:5000', {}), 'http://localhost:5000');
  assert.equal(registryBaseURL('127.1.2.3:80', {}), 'http://127.1.2.3:80');
  assert.equal(registryBaseURL('reg.example:5000', {}), 'https://reg.example:5000');
  assert.equal(registryBaseURL('reg.example:5000', { WHARF_INSECURE_REGISTRIES: 'a:1, reg.example:5000' }), 'http://reg.example:5000');
  const ch = parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"');
  assert.deepEqual(ch, { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull' } });
  assert.equal(parseChallenge('Basic realm="x"').scheme, 'basic');
  const auth = Buffer.from(JSON.stringify({ username: 'u', password: 'p', serveraddress: 'r' })).toString('base64url');
  assert.deepEqual(decodeRegistryAuth(auth), { username: 'u', password: 'p', serveraddress: 'r' });
  assert.equal(decodeRegistryAuth(Buffer.from('{}').toString('base64')), undefined);
  assert.throws(() => decodeRegistryAuth('%%%not-json'), /X-Registry-Auth/);
});

test('a Bearer challenge is answered with a token fetched using the basic credentials', async () => {
  const seen: string[] = [];
  const srv = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    const port = (srv.address() as net.AddressInfo).port;
    if (req.url?.startsWith('/token')) {
      const ok = req.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ token: 'T0K' }));
    }
    if (req.headers.authorization !== 'Bearer T0K') {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="fake",scope="repository:a/b:pull"` });
      return res.end();
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const registryHttp = new HttpClient();
  try {
    const port = (srv.address() as net.AddressInfo).port;
    const client = new RegistryClient(registryHttp, `127.0.0.1:${port}`, 'a/b', { username: 'u', password: 'p' });
    await assert.rejects(resolveManifest(client, '1', { os: 'linux', architecture: 'amd64' }, 'a/b:1'), /manifest for a\/b:1 not found/);
    assert.ok(seen.some((s) => /^GET \/token\?service=fake&scope=repository%3Aa%2Fb%3Apull Basic /.test(s)), seen.join('\n'));
    assert.ok(seen.includes('GET /v2/a/b/manifests/1 Bearer T0K'), seen.join('\n'));
    const anonymous = new RegistryClient(registryHttp, `127.0.0.1:${port}`, 'a/b');
    await assert.rejects(anonymous.authenticate(), /unauthorized/);
  } finally {
    await registryHttp.close();
    await new Promise((r) => srv.close(r));
  }
});
