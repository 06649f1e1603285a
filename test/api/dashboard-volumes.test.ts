import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { startDashboard, type DashboardHarness } from './dashboard-harness.ts';

const PASSWORD = 'admin password 123';
const BYTES = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0x7f, ...Buffer.from('wharf volume bytes\n')]);
let h: DashboardHarness;
let admin: string;
let viewer: string;
let data: string;

before(async () => {
  h = await startDashboard('dash-volumes', { adminPassword: PASSWORD });
  admin = await h.login('admin', PASSWORD);
  const r = await h.request('POST', '/api/users', { cookie: admin, body: { username: 'viewer', password: PASSWORD, role: 'readonly' } });
  assert.equal(r.status, 201, r.text);
  viewer = await h.login('viewer', PASSWORD);
  const created = await h.request('POST', '/api/environments/local/docker/volumes/create', { cookie: admin, body: { Name: 'browse-me' } });
  assert.equal(created.status, 201, created.text);
  data = created.json().Mountpoint;
  await mkdir(join(data, 'sub', 'deeper'), { recursive: true });
  await writeFile(join(data, 'bytes.bin'), BYTES, { mode: 0o640 });
  await writeFile(join(data, 'sub', 'a.txt'), 'alpha\n');
  await writeFile(join(data, 'sub', 'deeper', 'b.txt'), 'beta\n');
  await symlink('/etc', join(data, 'etc-link'));
  await symlink('/etc/passwd', join(data, 'passwd-link'));
  await symlink('../../../../../../..', join(data, 'up'));
});
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const browse = (path: string, cookie = viewer, volume = 'browse-me') =>
  h.request('GET', `/api/environments/local/volumes/${volume}/browse?path=${encodeURIComponent(path)}`, { cookie });

function download(path: string, cookie = viewer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(`${h.url}/api/environments/local/volumes/browse-me/download?path=${encodeURIComponent(path)}`, { headers: { cookie }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function untar(body: Buffer): Promise<Map<string, { type: string; text?: string; linkname?: string }>> {
  const out = new Map<string, { type: string; text?: string; linkname?: string }>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => { extract.on('finish', resolve); extract.on('error', reject); });
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (d: unknown) => { chunks.push(d as Buffer); });
    stream.on('end', () => {
      out.set(header.name, { type: header.type ?? 'file', ...(header.type === 'file' ? { text: Buffer.concat(chunks).toString() } : {}), ...(header.linkname ? { linkname: header.linkname } : {}) });
      next();
    });
  });
  Readable.from([body]).pipe(extract);
  await done;
  return out;
}

test('lists the root with directories first, and a subdirectory', async () => {
  const root = await browse('/');
  assert.equal(root.status, 200, root.text);
  const listing = root.json();
  assert.equal(listing.path, '/');
  assert.deepEqual(listing.entries.map((e: { name: string; type: string }) => `${e.type}:${e.name}`),
    ['dir:sub', 'file:bytes.bin', 'symlink:etc-link', 'symlink:passwd-link', 'symlink:up']);
  const file = listing.entries.find((e: { name: string }) => e.name === 'bytes.bin');
  assert.equal(file.size, BYTES.length);
  assert.equal(file.mode, '640');
  assert.ok(!Number.isNaN(Date.parse(file.mtime)));
  assert.equal(listing.entries.find((e: { name: string }) => e.name === 'passwd-link').linkTarget, '/etc/passwd');

  const sub = await browse('sub/');
  assert.equal(sub.status, 200, sub.text);
  assert.equal(sub.json().path, '/sub');
  assert.deepEqual(sub.json().entries.map((e: { name: string }) => e.name), ['deeper', 'a.txt']);
});

test('downloads a file byte for byte and a directory as a tar', async () => {
  const file = await download('/bytes.bin');
  assert.equal(file.status, 200);
  assert.deepEqual(file.body, BYTES);
  assert.equal(file.headers['content-type'], 'application/octet-stream');
  assert.match(file.headers['content-disposition'] ?? '', /^attachment; filename="bytes\.bin"/);

  const dir = await download('/sub');
  assert.equal(dir.status, 200);
  assert.match(dir.headers['content-disposition'] ?? '', /filename="sub\.tar"/);
  const entries = await untar(dir.body);
  assert.deepEqual([...entries.keys()].sort(), ['sub', 'sub/a.txt', 'sub/deeper', 'sub/deeper/b.txt']);
  assert.equal(entries.get('sub/deeper/b.txt')?.text, 'beta\n');

  const whole = await untar((await download('/')).body);
  assert.equal(whole.get('passwd-link')?.linkname, '/etc/passwd', 'links are archived, not followed');
  assert.equal(whole.get('bytes.bin')?.text, BYTES.toString());
});

test('paths and symlinks never leave the volume', async () => {
  for (const path of ['../../etc', '/../../../etc/passwd', 'etc-link', 'up/etc', 'up/etc/passwd', 'etc-link/passwd']) {
    const listed = await browse(path);
    assert.ok([400, 404].includes(listed.status), `browse ${path}: ${listed.status} ${listed.text}`);
    const got = await download(path);
    assert.ok([400, 404].includes(got.status), `download ${path}: ${got.status}`);
    assert.doesNotMatch(got.body.toString(), /root:/);
    assert.equal(JSON.parse(got.body.toString()).field, 'path');
  }
  const link = await download('passwd-link');
  assert.equal(link.status, 400);
  assert.match(JSON.parse(link.body.toString()).message, /symbolic link/);
  const notDir = await browse('/bytes.bin');
  assert.equal(notDir.status, 400);
  assert.equal(notDir.json().field, 'path');
});

test('needs a session, a known volume and the embedded engine', async () => {
  assert.equal((await browse('/', '')).status, 401);
  assert.equal((await download('/bytes.bin', '')).status, 401);
  const unknown = await browse('/', viewer, 'no-such-volume');
  assert.equal(unknown.status, 404);
  assert.match(unknown.json().message, /no such volume/);
  assert.equal((await h.request('GET', '/api/environments/nowhere/volumes/browse-me/browse', { cookie: viewer })).status, 404);
  const remote = await h.request('POST', '/api/environments', { cookie: admin, body: { name: 'remote', url: 'tcp://127.0.0.1:1' } });
  assert.equal(remote.status, 201, remote.text);
  const refused = await h.request('GET', `/api/environments/${remote.json().id}/volumes/browse-me/browse`, { cookie: viewer });
  assert.equal(refused.status, 501);
  assert.deepEqual(refused.json(), { message: 'browsing volumes needs the embedded engine' });
});

test('a folder holding an empty file downloads to the end, empty file included', async () => {
  await mkdir(join(data, 'with-empty'), { recursive: true });
  await writeFile(join(data, 'with-empty', 'empty.txt'), '');
  await writeFile(join(data, 'with-empty', 'after.txt'), 'after the empty one\n');
  const r = await download('/with-empty');
  assert.equal(r.status, 200);
  const entries = await untar(r.body);
  assert.deepEqual(entries.get('with-empty/empty.txt'), { type: 'file', text: '' });
  assert.deepEqual(entries.get('with-empty/after.txt'), { type: 'file', text: 'after the empty one\n' });
});

test('a download abandoned half-way ends on the server without breaking it', async () => {
  await mkdir(join(data, 'big'), { recursive: true });
  const chunk = Buffer.alloc(4 << 20, 7);
  for (let i = 0; i < 8; i++) await writeFile(join(data, 'big', `part-${i}.bin`), chunk);
  await new Promise<void>((resolve, reject) => {
    const req = http.get(`${h.url}/api/environments/local/volumes/browse-me/download?path=${encodeURIComponent('/big')}`, { headers: { cookie: viewer }, agent: false }, (res) => {
      assert.equal(res.statusCode, 200);
      res.once('data', () => {
        // The client gives up after the first bytes.
        req.destroy();
        resolve();
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'ECONNRESET') reject(e); });
  });
  // The server still answers, and the same folder downloads whole right after.
  const again = await download('/big');
  assert.equal(again.status, 200);
  assert.equal((await untar(again.body)).size, 9);
  assert.equal((await browse('/')).status, 200);
});
