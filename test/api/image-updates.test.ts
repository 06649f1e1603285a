/**
 * Image updates through the full server: a tag that moved in the registry shows as an update
 * (a HEAD on the manifest, nothing pulled), the update recreates the container with the same
 * settings on the new image, and roll back puts the old image back.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { join } from 'node:path';
import { startWharf, type Wharf } from '../helpers/wharf-server.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { runDocker } from '../helpers/docker-cli.ts';
import { request } from '../helpers/unix-http.ts';

const PASSWORD = 'updates-test-password';
let wharf: Wharf;
let registry: TestRegistry;
let admin: string;

interface Update { reference: string; imageId: string; localDigest: string | null; remoteDigest: string | null; status: string }
interface Report { updates: Update[]; rollbacks: { containerName: string; reference: string; previousImage: string }[] }

async function ok(args: string[]): Promise<string> {
  const r = await runDocker(wharf.socket, join(wharf.dir, 'docker-config'), args, { timeoutMs: 120_000 });
  assert.equal(r.code, 0, `docker ${args.join(' ')} (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const port = () => Number(new URL(wharf.url).port);

async function login(username: string, password: string): Promise<string> {
  const r = await request({ port: port() }, 'POST', '/api/auth/login', { body: { username, password } });
  assert.equal(r.status, 200, r.text);
  return (r.headers['set-cookie'] ?? []).find((c) => c.startsWith('wharf_session='))!.split(';')[0]!;
}

const api = (cookie: string, method: string, path: string, body?: unknown) =>
  request({ port: port() }, method, `/api/environments/local${path}`, { headers: { cookie }, body });

/** An image whose /v holds `content`, committed as `name`. */
async function imageWith(name: string, content: string): Promise<string> {
  const maker = `updates-maker-${process.pid}`;
  await ok(['run', '--name', maker, 'busybox', 'sh', '-c', `echo ${content} > /v`]);
  await ok(['commit', maker, name]);
  await ok(['rm', maker]);
  return (await ok(['image', 'inspect', '-f', '{{.Id}}', name])).trim();
}

const inspect = async (name: string) => JSON.parse(await ok(['inspect', name]))[0] as {
  Id: string; Image: string; Name: string; State: { Running: boolean }; Config: { Env: string[]; Labels: Record<string, string>; Cmd: string[] }; HostConfig: { Memory: number };
};

before(async () => {
  registry = await startRegistry();
  wharf = await startWharf('updates', { WHARF_ADMIN_PASSWORD: PASSWORD });
  admin = await login('admin', PASSWORD);
});

after(async () => {
  const left = await wharf?.stop();
  await registry?.stop();
  if (left) assert.deepEqual([left.mounts, left.runc, left.conmon, left.cgroups], [[], [], [], []], 'nothing left on the host');
});

test('a moved tag shows an update; update recreates the container on the new image; roll back restores the old one', async () => {
  const ref = `${registry.host}/up/app:1`;
  // Image A in the registry, pulled back so that it carries the repo digest a pull records.
  await imageWith(ref, 'A');
  const pushedA = /1: digest: (sha256:[a-f0-9]{64})/.exec(await ok(['push', ref]))![1]!;
  await ok(['rmi', ref]);
  await ok(['pull', ref]);
  const imageA = (await ok(['image', 'inspect', '-f', '{{.Id}}', ref])).trim();
  await ok(['run', '-d', '--name', 'updates-app', '-e', 'FOO=bar', '--label', 'wharf.test=updates', '--memory', '64m', ref, 'sleep', '1000']);
  const before = await inspect('updates-app');

  // Nothing moved yet: the check finds the tag current.
  let check = await api(admin, 'POST', '/updates/check');
  assert.equal(check.status, 200, check.text);
  let mine = (check.json() as Report).updates.find((u) => u.reference === ref)!;
  assert.deepEqual([mine.status, mine.imageId, mine.localDigest, mine.remoteDigest], ['current', imageA, pushedA, pushedA]);

  // Image B pushed to the same tag; the local tag goes back to A, as on a host that never saw B.
  const imageB = await imageWith(ref, 'B');
  const pushedB = /1: digest: (sha256:[a-f0-9]{64})/.exec(await ok(['push', ref]))![1]!;
  await ok(['tag', imageA, ref]);
  await ok(['rmi', imageB]);
  assert.notEqual(pushedA, pushedB);

  check = await api(admin, 'POST', '/updates/check');
  mine = (check.json() as Report).updates.find((u) => u.reference === ref)!;
  assert.deepEqual([mine.status, mine.imageId, mine.localDigest, mine.remoteDigest], ['available', imageA, pushedA, pushedB]);
  // The check pulled nothing.
  assert.notEqual((await runDocker(wharf.socket, join(wharf.dir, 'docker-config'), ['image', 'inspect', imageB])).code, 0);
  assert.equal(((await api(admin, 'GET', '/updates')).json() as Report).updates.find((u) => u.reference === ref)!.status, 'available');

  // A readonly user sees the update but cannot apply it.
  assert.equal((await request({ port: port() }, 'POST', '/api/users', { headers: { cookie: admin }, body: { username: 'viewer', password: 'viewer password 1', role: 'readonly' } })).status, 201);
  const viewer = await login('viewer', 'viewer password 1');
  assert.equal((await api(viewer, 'GET', '/updates')).status, 200);
  assert.equal((await api(viewer, 'POST', '/updates/containers/updates-app/update')).status, 403);
  assert.equal((await inspect('updates-app')).Id, before.Id);

  const update = await api(admin, 'POST', '/updates/containers/updates-app/update');
  assert.equal(update.status, 200, update.text);
  const after = await inspect('updates-app');
  assert.notEqual(after.Id, before.Id);
  assert.equal(after.Name, '/updates-app');
  assert.equal(after.Image, imageB);
  assert.equal(after.State.Running, true);
  assert.ok(after.Config.Env.includes('FOO=bar'));
  assert.equal(after.Config.Labels['wharf.test'], 'updates');
  assert.deepEqual(after.Config.Cmd, ['sleep', '1000']);
  assert.equal(after.HostConfig.Memory, 64 * 1024 * 1024);
  assert.equal((await ok(['exec', 'updates-app', 'cat', '/v'])).trim(), 'B');
  // The old image is kept under a tag of its own, and the badge is gone: nothing pending for what runs now.
  assert.equal((await ok(['image', 'inspect', '-f', '{{.Id}}', `${registry.host}/up/app:1-wharf-previous`])).trim(), imageA);
  let report = (await api(admin, 'GET', '/updates')).json() as Report;
  assert.equal(report.updates.find((u) => u.imageId === imageB)!.status, 'current');
  assert.equal(report.updates.filter((u) => u.imageId === imageB && u.status === 'available').length, 0);
  assert.deepEqual(report.rollbacks.map((r) => [r.containerName, r.reference, r.previousImage]), [['updates-app', ref, imageA]]);
  check = await api(admin, 'POST', '/updates/check');
  assert.deepEqual((check.json() as Report).updates.filter((u) => u.reference === ref).map((u) => [u.imageId, u.status]), [[imageB, 'current']]);

  const rollback = await api(admin, 'POST', '/updates/containers/updates-app/rollback');
  assert.equal(rollback.status, 200, rollback.text);
  const back = await inspect('updates-app');
  assert.equal(back.Image, imageA);
  assert.equal(back.Name, '/updates-app');
  assert.equal(back.State.Running, true);
  assert.ok(back.Config.Env.includes('FOO=bar'));
  assert.equal((await ok(['exec', 'updates-app', 'cat', '/v'])).trim(), 'A');
  // Rolled back, the container still follows the tag: the newer image shows as an update again.
  report = (await (await api(admin, 'POST', '/updates/check')).json()) as Report;
  assert.deepEqual(report.updates.filter((u) => u.reference === ref).map((u) => [u.imageId, u.status]), [[imageA, 'available']]);
  // Only one container by that name, and none left aside.
  assert.deepEqual((await ok(['ps', '-a', '--format', '{{.Names}}'])).trim().split('\n').filter((n) => n.startsWith('updates-app')), ['updates-app']);
  await ok(['rm', '-f', 'updates-app']);
});

/** GOARCH of this host, as OCI platforms name it. */
const hostArch = (): string => ({ x64: 'amd64', arm64: 'arm64', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch;

/** PUT a document straight into the registry (node:http), as a multi-platform build tool would. */
function putManifest(path: string, mediaType: string, doc: unknown): Promise<{ status: number; digest: string }> {
  const body = Buffer.from(JSON.stringify(doc));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: Number(registry.host.split(':')[1]), method: 'PUT', path, headers: { 'content-type': mediaType, 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, digest: String(res.headers['docker-content-digest'] ?? '') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('multi-arch: the check compares the index digest, so an unchanged index is current and a moved one is an update', async () => {
  const repo = `${registry.host}/up/multi`;
  const other = hostArch() === 'arm64' ? 's390x' : 'arm64';
  // Two single-platform images pushed by digest, then an OCI index naming them, under one tag.
  const pushed = async (tag: string, content: string): Promise<{ digest: string; size: number }> => {
    await imageWith(`${repo}:${tag}`, content);
    const m = /digest: (sha256:[a-f0-9]{64}) size: (\d+)/.exec(await ok(['push', `${repo}:${tag}`]))!;
    await ok(['rmi', `${repo}:${tag}`]);
    return { digest: m[1]!, size: Number(m[2]) };
  };
  const host = await pushed('host', 'host-1');
  const foreign = await pushed('foreign', 'foreign-1');
  const index = (children: { digest: string; size: number; arch: string }[]) => ({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: children.map((c) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: c.digest, size: c.size, platform: { os: 'linux', architecture: c.arch } })),
  });
  const first = await putManifest('/v2/up/multi/manifests/2', 'application/vnd.oci.image.index.v1+json', index([{ ...host, arch: hostArch() }, { ...foreign, arch: other }]));
  assert.equal(first.status, 201);

  await ok(['pull', `${repo}:2`]);
  const local = (await ok(['image', 'inspect', '-f', '{{.Id}} {{json .RepoDigests}}', `${repo}:2`])).trim();
  // The pull took the host's platform and recorded the index's digest, not the platform manifest's.
  assert.match(local, new RegExp(`"${repo.replace(/\./g, '\\.')}@${first.digest}"`));
  assert.doesNotMatch(local, new RegExp(host.digest));
  const imageId = local.split(' ')[0]!;
  await ok(['run', '-d', '--name', 'updates-multi', `${repo}:2`, 'sleep', '1000']);

  // Unchanged index: no false update, although the platform manifest's digest differs from it.
  let report = (await api(admin, 'POST', '/updates/check')).json() as Report;
  let mine = report.updates.find((u) => u.reference === `${repo}:2`)!;
  assert.deepEqual([mine.status, mine.imageId, mine.localDigest, mine.remoteDigest], ['current', imageId, first.digest, first.digest]);

  // A new build for the other platform only moves the index: that is an update of the tag.
  const foreign2 = await pushed('foreign2', 'foreign-2');
  const moved = await putManifest('/v2/up/multi/manifests/2', 'application/vnd.oci.image.index.v1+json', index([{ ...host, arch: hostArch() }, { ...foreign2, arch: other }]));
  assert.equal(moved.status, 201);
  assert.notEqual(moved.digest, first.digest);
  report = (await api(admin, 'POST', '/updates/check')).json() as Report;
  mine = report.updates.find((u) => u.reference === `${repo}:2`)!;
  assert.deepEqual([mine.status, mine.imageId, mine.localDigest, mine.remoteDigest], ['available', imageId, first.digest, moved.digest]);

  // Pulling the moved index brings the same host image under the new index digest: current again.
  await ok(['pull', `${repo}:2`]);
  assert.equal((await ok(['image', 'inspect', '-f', '{{.Id}}', `${repo}:2`])).trim(), imageId);
  report = (await api(admin, 'POST', '/updates/check')).json() as Report;
  mine = report.updates.find((u) => u.reference === `${repo}:2`)!;
  assert.deepEqual([mine.status, mine.localDigest, mine.remoteDigest], ['current', moved.digest, moved.digest]);
  await ok(['rm', '-f', 'updates-multi']);
});
