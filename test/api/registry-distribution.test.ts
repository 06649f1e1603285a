/**
 * Pull and push through the full server against Debian's docker-registry: credentials
 * (docker login, htpasswd), TLS with a CA from certs.d, corrupted blobs, clients that go away
 * mid-pull, concurrent pulls, manifest lists, chunked uploads and cross-repository mounts.
 * Wharf is reached only through its socket; its data root is inspected on disk.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import tar from 'tar-stream';
import { startWharf, type Wharf } from '../e2e/support/server.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { startRegistryProxy, type RegistryProxy } from '../helpers/registry-proxy.ts';
import { runDocker, type CliOptions } from '../helpers/docker-cli.ts';

let wharf: Wharf;
const registries: TestRegistry[] = [];
const proxies: RegistryProxy[] = [];
const USER = { name: 'wharf-user', password: 'right-password-1' };

before(async () => {
  wharf = await startWharf('distribution', { WHARF_ADMIN_PASSWORD: 'distribution-test-password' });
});

after(async () => {
  await wharf?.stop();
  for (const p of proxies) await p.close();
  for (const r of registries) await r.stop();
});

async function registry(opts: Parameters<typeof startRegistry>[0] = {}): Promise<TestRegistry> {
  const r = await startRegistry(opts);
  registries.push(r);
  return r;
}

async function proxyFor(r: TestRegistry): Promise<RegistryProxy> {
  const p = await startRegistryProxy(r.host);
  proxies.push(p);
  return p;
}

function docker(args: string[], opts: CliOptions = {}) {
  return runDocker(wharf.socket, join(wharf.dir, 'docker-config'), args, { timeoutMs: 180_000, ...opts });
}

async function ok(args: string[], opts: CliOptions = {}): Promise<string> {
  const r = await docker(args, opts);
  assert.equal(r.code, 0, `docker ${args.join(' ')} (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const imageId = async (name: string): Promise<string> => (await ok(['image', 'inspect', '--format', '{{.Id}}', name])).trim();
const contentDir = (): string => join(wharf.dir, 'root', 'content');
const blobs = async (): Promise<string[]> => (await readdir(join(contentDir(), 'blobs', 'sha256'))).sort();
const ingests = async (): Promise<string[]> => readdir(join(contentDir(), 'ingest'));

/** A one-layer image of `size` random (incompressible) bytes, imported under `name`. */
async function randomImage(name: string, size: number): Promise<string> {
  const pack = tar.pack();
  pack.entry({ name: 'random.bin', size }, randomBytes(size));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  await ok(['import', '-', name], { input: Buffer.concat(chunks) });
  return imageId(name);
}

/** `POST /images/create` on the socket, reading progress messages as they come. */
function rawPull(image: string, tag: string) {
  const messages: Record<string, unknown>[] = [];
  let onMessage: (() => void) | undefined;
  const req = http.request({ socketPath: wharf.socket, method: 'POST', path: `/v1.47/images/create?fromImage=${encodeURIComponent(image)}&tag=${tag}` });
  const done = new Promise<Record<string, unknown>[]>((resolve, reject) => {
    req.on('response', (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          messages.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
          buf = buf.slice(nl + 1);
          onMessage?.();
        }
      });
      res.on('end', () => resolve(messages));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('aborted')));
    });
    req.on('error', reject);
  });
  req.end();
  const waitFor = (pred: (m: Record<string, unknown>) => boolean) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no such progress message; got ${JSON.stringify(messages)}`)), 120_000);
    const check = () => {
      if (messages.some(pred)) { clearTimeout(timer); onMessage = undefined; resolve(); }
      const err = messages.find((m) => m.error);
      if (err) { clearTimeout(timer); reject(new Error(String(err.error))); }
    };
    onMessage = check;
    check();
  });
  return { req, done, messages, waitFor };
}

async function until(what: string, pred: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await pred()) return;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}`);
}

const blobGets = (p: RegistryProxy): string[] => p.requests.filter((r) => r.method === 'GET' && r.path.includes('/blobs/sha256:')).map((r) => r.path);

test('docker login checks the password against an htpasswd registry; push and pull use the credentials', async () => {
  const reg = await registry({ user: USER });
  const wrong = await docker(['login', '-u', USER.name, '--password-stdin', reg.host], { input: 'wrong-password' });
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /401 Unauthorized/);
  const before = await blobs();
  const denied = await docker(['pull', `${reg.host}/auth/busybox:1`]);
  assert.notEqual(denied.code, 0, 'anonymous pull from an htpasswd registry fails');
  assert.match(denied.stderr + denied.stdout, /unauthorized|authentication required/i);
  assert.deepEqual(await blobs(), before, 'a refused pull changes nothing');

  assert.match(await ok(['login', '-u', USER.name, '--password-stdin', reg.host], { input: USER.password }), /Login Succeeded/);
  const name = `${reg.host}/auth/busybox:1`;
  const id = await imageId('busybox');
  await ok(['tag', 'busybox', name]);
  const pushed = /1: digest: (sha256:[a-f0-9]{64})/.exec(await ok(['push', name]));
  assert.ok(pushed);
  await ok(['rmi', name]);
  assert.match(await ok(['pull', name]), new RegExp(`Digest: ${pushed[1]}`));
  assert.equal(await imageId(name), id);
  await ok(['rmi', name]);
  await ok(['logout', reg.host]);
});

test('a registry over TLS is trusted through certs.d/<host>/ca.crt and round-trips busybox', async () => {
  const reg = await registry({ tls: true });
  const certs = join(wharf.dir, 'root', 'certs.d', reg.host);
  await mkdir(certs, { recursive: true });
  await writeFile(join(certs, 'ca.crt'), reg.ca!);
  const name = `${reg.host}/tls/busybox:1`;
  const id = await imageId('busybox');
  await ok(['tag', 'busybox', name]);
  const pushed = /1: digest: (sha256:[a-f0-9]{64})/.exec(await ok(['push', name]));
  assert.ok(pushed);
  assert.equal((await reg.get('/v2/tls/busybox/tags/list')).status, 200);
  await ok(['rmi', name]);
  assert.match(await ok(['pull', name]), new RegExp(`Digest: ${pushed[1]}`));
  assert.equal(await imageId(name), id);
  await ok(['rmi', name]);
});

test('a corrupted blob in the registry is rejected and leaves no trace', async () => {
  const reg = await registry();
  const name = `${reg.host}/corrupt/random:1`;
  await randomImage(name, 1 << 20);
  await ok(['push', name]);
  await ok(['rmi', name]);
  const before = await blobs();
  // The layer is the largest blob the registry holds: flip one byte of it, keeping its size.
  const root = join(reg.dir, 'data', 'docker', 'registry', 'v2', 'blobs', 'sha256');
  let largest = { path: '', size: -1 };
  for (const prefix of await readdir(root)) {
    for (const hex of await readdir(join(root, prefix))) {
      const path = join(root, prefix, hex, 'data');
      const { size } = await stat(path);
      if (size > largest.size) largest = { path, size };
    }
  }
  const data = await readFile(largest.path);
  data[data.length >> 1]! ^= 0xff;
  await writeFile(largest.path, data);
  const r = await docker(['pull', name]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr + r.stdout, /digest mismatch/);
  assert.deepEqual(await blobs(), before, 'no blob of the failed pull stays');
  assert.deepEqual(await ingests(), []);
  assert.equal((await docker(['image', 'inspect', name])).code, 1);
});

test('a client that disconnects mid-pull cancels it: no partial blob, no stuck lock; a second pull succeeds', async () => {
  const reg = await registry();
  const proxy = await proxyFor(reg);
  const name = `${proxy.host}/gone/random`;
  const id = await randomImage(`${name}:1`, 4 << 20);
  await ok(['push', `${name}:1`]);
  await ok(['rmi', `${name}:1`]);
  const before = await blobs();
  proxy.throttle = 64 * 1024;
  const pull = rawPull(name, '1');
  pull.done.catch(() => undefined);
  await pull.waitFor((m) => m.status === 'Downloading');
  pull.req.destroy();
  // The download to the registry stops, and what it had written is taken away.
  await until('the blob download to stop', () => proxy.openDownloads() === 0);
  await until('the ingest to be removed', async () => (await ingests()).length === 0);
  await until('the pull to take back its blobs', async () => JSON.stringify(await blobs()) === JSON.stringify(before));
  proxy.throttle = 0;
  await ok(['pull', `${name}:1`]);
  assert.equal(await imageId(`${name}:1`), id);
  await ok(['rmi', `${name}:1`]);
});

test('the bottom layer to pull is unpacked while it downloads', async () => {
  const reg = await registry();
  const proxy = await proxyFor(reg);
  const name = `${proxy.host}/live/random:1`;
  const id = await randomImage(name, 4 << 20);
  await ok(['push', name]);
  await ok(['rmi', name]);
  // About 1.3 MB a second: the download takes some three seconds.
  proxy.throttle = 64 * 1024;
  const pull = docker(['pull', name]);
  const snapshots = join(wharf.dir, 'root', 'snapshots');
  const writtenDuringDownload = async (): Promise<boolean> => {
    for (const n of await readdir(snapshots).catch(() => [] as string[])) {
      const file = await stat(join(snapshots, n, 'fs', 'random.bin')).catch(() => undefined);
      if (file && file.size > 0 && proxy.openDownloads() > 0) return true;
    }
    return false;
  };
  let seen = false;
  while (!seen && (await Promise.race([pull.then(() => 'done'), sleep(50).then(() => 'waiting')])) === 'waiting') seen = await writtenDuringDownload();
  const r = await pull;
  assert.equal(r.code, 0, r.stderr);
  assert.ok(seen, 'the layer\'s file was being written while its blob was still downloading');
  assert.equal(await imageId(name), id);
  proxy.throttle = 0;
  await ok(['rmi', name]);
});

test('two clients pulling the same image download each blob once; one leaving does not stop the other', async () => {
  const reg = await registry();
  const proxy = await proxyFor(reg);
  const name = `${proxy.host}/twice/random`;
  const id = await randomImage(`${name}:1`, 4 << 20);
  await ok(['push', `${name}:1`]);
  await ok(['rmi', `${name}:1`]);

  // Both stay: one download per blob, both finish.
  proxy.requests.length = 0;
  proxy.throttle = 256 * 1024;
  const [a, b] = await Promise.all([docker(['pull', `${name}:1`]), docker(['pull', `${name}:1`])]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  let gets = blobGets(proxy);
  assert.ok(gets.length >= 2, `config and layer fetched: ${gets.join(', ')}`);
  assert.equal(new Set(gets).size, gets.length, `each blob fetched once: ${gets.join(', ')}`);
  await ok(['rmi', `${name}:1`]);

  // The first client leaves mid-download: the second still gets the image from that one download.
  proxy.requests.length = 0;
  proxy.throttle = 64 * 1024;
  const first = rawPull(name, '1');
  first.done.catch(() => undefined);
  await first.waitFor((m) => m.status === 'Downloading');
  const second = rawPull(name, '1');
  await second.waitFor((m) => m.status === 'Pulling fs layer' || m.status === 'Downloading');
  first.req.destroy();
  const messages = await second.done;
  assert.ok(!messages.some((m) => m.error), JSON.stringify(messages.filter((m) => m.error)));
  assert.ok(messages.some((m) => String(m.status).startsWith('Status: Downloaded newer image')));
  gets = blobGets(proxy);
  assert.equal(new Set(gets).size, gets.length, `each blob fetched once: ${gets.join(', ')}`);
  assert.equal(await imageId(`${name}:1`), id);
  assert.deepEqual(await ingests(), []);
  await ok(['rmi', `${name}:1`]);
});

/** GOARCH of this host, as OCI platforms name it. */
const hostArch = (): string => ({ x64: 'amd64', arm64: 'arm64', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch;

function put(host: string, path: string, contentType: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: Number(host.split(':')[1]), method: 'PUT', path, headers: { 'content-type': contentType, 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('a manifest list resolves to the host platform, or to the one --platform names', async () => {
  const reg = await registry();
  const repo = `${reg.host}/multi/app`;
  const hostId = await imageId('busybox');
  await ok(['tag', 'busybox', `${repo}:host`]);
  const otherId = await randomImage(`${repo}:other`, 64 * 1024);
  const digestOf = (out: string) => /digest: (sha256:[a-f0-9]{64}) size: (\d+)/.exec(out)!;
  const h = digestOf(await ok(['push', `${repo}:host`]));
  const o = digestOf(await ok(['push', `${repo}:other`]));
  const other = hostArch() === 'arm64' ? 's390x' : 'arm64';
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: h[1], size: Number(h[2]), platform: { os: 'linux', architecture: hostArch() } },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: o[1], size: Number(o[2]), platform: { os: 'linux', architecture: other } },
    ],
  }));
  assert.equal(await put(reg.host, '/v2/multi/app/manifests/list', 'application/vnd.oci.image.index.v1+json', index), 201);
  await ok(['rmi', `${repo}:host`, `${repo}:other`]);

  await ok(['pull', `${repo}:list`]);
  assert.equal(await imageId(`${repo}:list`), hostId);
  await ok(['rmi', `${repo}:list`]);
  await ok(['pull', '--platform', `linux/${other}`, `${repo}:list`]);
  assert.equal(await imageId(`${repo}:list`), otherId);
  const missing = await docker(['pull', '--platform', 'linux/mips64le', `${repo}:list`]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr + missing.stdout, /no matching manifest for linux\/mips64le/);
  await ok(['rmi', `${repo}:list`]);
});

test('a registry that refuses large bodies gets the blob in PATCH chunks', async () => {
  const reg = await registry();
  const proxy = await proxyFor(reg);
  proxy.maxBody = 1 << 20;
  const name = `${proxy.host}/chunked/random:1`;
  const id = await randomImage(name, 3 << 20);
  await ok(['push', name]);
  const patches = proxy.requests.filter((r) => r.method === 'PATCH');
  assert.ok(patches.length >= 3, `chunks sent: ${patches.length}`);
  await ok(['rmi', name]);
  proxy.maxBody = 0;
  await ok(['pull', name]);
  assert.equal(await imageId(name), id);
  await ok(['rmi', name]);
});

test('a push mounts blobs the registry has in another repository instead of uploading them', async () => {
  const reg = await registry();
  const proxy = await proxyFor(reg);
  const a = `${proxy.host}/mount/a:1`;
  const b = `${proxy.host}/mount/b:1`;
  await randomImage(a, 512 * 1024);
  await ok(['push', a]);
  await ok(['tag', a, b]);
  proxy.requests.length = 0;
  const out = await ok(['push', b]);
  assert.match(out, /Mounted from mount\/a/);
  assert.ok(proxy.requests.some((r) => r.method === 'POST' && /mount=sha256%3A|mount=sha256:/.test(r.path) && /from=mount%2Fa/.test(r.path)));
  assert.ok(!proxy.requests.some((r) => r.method === 'PATCH' || (r.method === 'PUT' && r.path.includes('/blobs/uploads/'))), 'no blob bytes uploaded');
  await ok(['rmi', a, b]);
});

function request(method: string, opts: { socketPath?: string; host?: string; path: string; headers?: Record<string, string> }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = opts.socketPath ? { socketPath: opts.socketPath } : { host: '127.0.0.1', port: Number(opts.host!.split(':')[1]) };
    const req = http.request({ ...target, method, path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a pulled image is pushed by digest with the very manifest it came with', async () => {
  const reg = await registry();
  const repo = `${reg.host}/bydigest/random`;
  await randomImage(`${repo}:1`, 64 * 1024);
  const digest = /1: digest: (sha256:[a-f0-9]{64})/.exec(await ok(['push', `${repo}:1`]))![1]!;
  await ok(['rmi', `${repo}:1`]);
  await ok(['pull', `${repo}:1`]);
  const accept = { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' };
  assert.equal((await request('DELETE', { host: reg.host, path: `/v2/bydigest/random/manifests/${digest}`, headers: accept })).status, 202);
  assert.equal((await request('GET', { host: reg.host, path: `/v2/bydigest/random/manifests/${digest}`, headers: accept })).status, 404);
  const res = await request('POST', { socketPath: wharf.socket, path: `/v1.47/images/${encodeURIComponent(repo)}/push?tag=${digest}`, headers: { 'X-Registry-Auth': 'e30=' } });
  assert.equal(res.status, 200);
  assert.ok(!res.body.includes('"error"'), res.body);
  assert.match(res.body, new RegExp(`digest: ${digest}`));
  assert.equal((await request('GET', { host: reg.host, path: `/v2/bydigest/random/manifests/${digest}`, headers: accept })).status, 200);
  await ok(['rmi', `${repo}:1`]);
});
