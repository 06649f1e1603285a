/**
 * Pull and push through the server exactly as `npm start` composes it, dashboard included,
 * after Next has rendered pages in the same process: the composition in which registry
 * traffic once hung forever while the partial one passed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startWharf, type Wharf } from '../helpers/wharf-server.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { runDocker, type CliOptions } from '../helpers/docker-cli.ts';

let wharf: Wharf;
let registry: TestRegistry;

function docker(args: string[], opts: CliOptions = {}) {
  // A hang is the failure this file guards against: fail in bounded time instead of waiting forever.
  return runDocker(wharf.socket, join(wharf.dir, 'docker-config'), args, { timeoutMs: 90_000, ...opts });
}

async function ok(args: string[]): Promise<string> {
  const r = await docker(args);
  assert.equal(r.code, 0, `docker ${args.join(' ')} (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A page render: Next patches process-wide globals while it serves one. */
function renderPage(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(`${wharf.url}${path}`, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); }).on('error', reject);
  });
}

before(async () => {
  registry = await startRegistry();
  wharf = await startWharf('registry', { WHARF_ADMIN_PASSWORD: 'registry-test-password' });
  for (const path of ['/', '/login', '/images']) assert.ok((await renderPage(path)) < 500, `${path} renders`);
});

after(async () => {
  await wharf?.stop();
  await registry?.stop();
});

test('docker push and pull finish in the full server and round-trip busybox with identical digests', async () => {
  const name = `${registry.host}/full/busybox:1`;
  const id = (await ok(['image', 'inspect', '--format', '{{.Id}}', 'busybox'])).trim();
  await ok(['tag', 'busybox', name]);

  const push = await ok(['push', name]);
  const pushed = /1: digest: (sha256:[a-f0-9]{64}) size: \d+/.exec(push);
  assert.ok(pushed, push);
  const tags = JSON.parse((await registry.get('/v2/full/busybox/tags/list')).body) as { tags: string[] };
  assert.deepEqual(tags.tags, ['1']);

  // Remove every local name of the image so the pull has to fetch and unpack it again.
  await ok(['rmi', name]);
  assert.equal((await renderPage('/containers')) < 500, true);
  const pull = await ok(['pull', name]);
  assert.match(pull, new RegExp(`Digest: ${pushed[1]}`));
  assert.equal((await ok(['image', 'inspect', '--format', '{{.Id}}', name])).trim(), id);
  assert.match(await ok(['image', 'inspect', '--format', '{{json .RepoDigests}}', name]), new RegExp(`full/busybox@${pushed[1]}`));
});

test('a pull of a layer the store lacks downloads, verifies and unpacks it in the full server', async () => {
  const repo = `${registry.host}/full/own`;
  const c = `full-own-${process.pid}`;
  await ok(['run', '--name', c, 'busybox', 'sh', '-c', `echo made-for-${c} > /own.txt`]);
  await ok(['commit', c, `${repo}:1`]);
  await ok(['rm', c]);
  await ok(['push', `${repo}:1`]);
  // The committed layer exists only in the registry after this: the pull must download it.
  await ok(['rmi', `${repo}:1`]);
  await renderPage('/');
  const pull = await ok(['pull', `${repo}:1`]);
  assert.match(pull, /Pull complete/);
  assert.equal((await ok(['run', '--rm', `${repo}:1`, 'cat', '/own.txt'])).trim(), `made-for-${c}`);
  await ok(['rmi', `${repo}:1`]);
});

test('busybox pushed from one server is pulled into a fresh data root with identical digests', async () => {
  const name = `${registry.host}/fresh/busybox:1`;
  const inspectFormat = '{{.Id}} {{json .RootFS.Layers}}';
  const original = (await ok(['image', 'inspect', '--format', inspectFormat, 'busybox'])).trim();
  await ok(['tag', 'busybox', name]);
  const pushed = /1: digest: (sha256:[a-f0-9]{64})/.exec(await ok(['push', name]))![1]!;
  await ok(['rmi', name]);

  const fresh = await startWharf('registry-fresh', { WHARF_ADMIN_PASSWORD: 'registry-fresh-password' });
  try {
    const there = (args: string[]) => runDocker(fresh.socket, join(fresh.dir, 'docker-config'), args, { timeoutMs: 90_000 });
    // Nothing of busybox left in the new data root: every blob has to come from the registry.
    assert.equal((await there(['rmi', 'busybox'])).code, 0);
    const blobDir = join(fresh.root, 'content', 'blobs', 'sha256');
    assert.deepEqual(await readdir(blobDir).catch(() => []), []);
    const pull = await there(['pull', name]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, new RegExp(`Digest: ${pushed}`));
    assert.match(pull.stdout, /Pull complete/);
    assert.equal((await there(['image', 'inspect', '--format', inspectFormat, name])).stdout.trim(), original);
    assert.match((await there(['image', 'inspect', '--format', '{{json .RepoDigests}}', name])).stdout, new RegExp(`fresh/busybox@${pushed}`));
    const run = await there(['run', '--rm', name, 'echo', 'pulled']);
    assert.equal(run.stdout.trim(), 'pulled');
  } finally {
    const left = await fresh.stop();
    assert.deepEqual([left.mounts, left.runc, left.conmon, left.cgroups], [[], [], [], []]);
  }
});
