import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

let h: ApiHarness;
const ids: Record<string, string> = {};

const ok = (args: string[], input?: string): Promise<string> => h.ok(args, input);

/** Names printed by `docker ps <args>`, sorted. */
async function names(...args: string[]): Promise<string[]> {
  return (await ok(['ps', ...args, '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort();
}

before(async () => {
  h = await startApiServer('ctr-ps');
  // Created in this order (oldest first): two exited, one created, two running.
  await ok(['run', '--name', 'exit0', '-l', 'app=batch', 'busybox', 'true']);
  ids.exit0 = (await ok(['inspect', '-f', '{{.Id}}', 'exit0'])).trim();
  await h.docker(['run', '--name', 'exit3', '-l', 'app=batch', 'busybox', 'sh', '-c', 'exit 3']);
  ids.exit3 = (await ok(['inspect', '-f', '{{.Id}}', 'exit3'])).trim();
  ids.fresh = (await ok(['create', '--name', 'fresh', 'busybox', 'true'])).trim();
  ids.web = (await ok(['run', '-d', '--name', 'web', '-l', 'app=web', '-l', 'tier=front', 'busybox', 'sh', '-c', 'sleep 1000'])).trim();
  ids.db = (await ok(['run', '-d', '--name', 'db', '-l', 'app=db', 'busybox', 'sleep', '1000'])).trim();
});
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

test('ps lists running containers; -a all of them; -q only short ids; -n the newest', async () => {
  assert.deepEqual(await names(), ['db', 'web']);
  assert.deepEqual(await names('-a'), ['db', 'exit0', 'exit3', 'fresh', 'web']);
  assert.deepEqual((await ok(['ps', '-q'])).split('\n').filter(Boolean).sort(), [ids.db!.slice(0, 12), ids.web!.slice(0, 12)].sort());
  assert.deepEqual(await names('-n', '2'), ['db', 'web']);
  assert.deepEqual(await names('-n', '3'), ['db', 'fresh', 'web']);
  const table = await ok(['ps', '-a']);
  assert.match(table.split('\n')[0]!, /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
  assert.match(table, /Exited \(3\) .* ago/);
  assert.match(table, /\bCreated\s+fresh/);
});

test('ps --format shows the fields as dockerd reports them', async () => {
  const line = await ok(['ps', '--no-trunc', '--filter', 'name=web', '--format', '{{.ID}}|{{.Image}}|{{.Command}}|{{.State}}|{{.Status}}|{{.Label "tier"}}|{{.Networks}}']);
  const [id, image, command, st, status, tier, nets] = line.trim().split('|');
  assert.equal(id, ids.web);
  assert.equal(image, 'busybox');
  assert.equal(command, `"sh -c 'sleep 1000'"`);
  assert.equal(st, 'running');
  assert.match(status!, /^Up /);
  assert.equal(tier, 'front');
  assert.equal(nets, 'bridge');
});

test('ps -s adds the size column', async () => {
  const out = await ok(['ps', '-s', '--filter', 'name=db']);
  assert.match(out.split('\n')[0]!, /SIZE$/);
  assert.match(out.split('\n')[1]!, /\(virtual [\d.]+[kMG]?B\)$/);
});

test('ps --filter: name, id, status, exited, label, ancestor', async () => {
  assert.deepEqual(await names('-a', '--filter', 'name=exit'), ['exit0', 'exit3'], 'a name filter matches a substring');
  assert.deepEqual(await names('-a', '--filter', 'name=^/exit0$'), ['exit0']);
  assert.deepEqual(await names('-a', '--filter', `id=${ids.fresh!.slice(0, 8)}`), ['fresh']);
  assert.deepEqual(await names('--filter', 'status=exited'), ['exit0', 'exit3'], 'a status filter includes stopped containers');
  assert.deepEqual(await names('--filter', 'status=created'), ['fresh']);
  assert.deepEqual(await names('--filter', 'status=running'), ['db', 'web']);
  assert.deepEqual(await names('-a', '--filter', 'exited=3'), ['exit3']);
  assert.deepEqual(await names('-a', '--filter', 'exited=0'), ['exit0'], 'a never-started container has no exit code');
  assert.deepEqual(await names('-a', '--filter', 'label=app=batch'), ['exit0', 'exit3']);
  assert.deepEqual(await names('-a', '--filter', 'label=tier'), ['web']);
  assert.deepEqual(await names('-a', '--filter', 'label=app', '--filter', 'label=tier=front'), ['web']);
  assert.deepEqual(await names('-a', '--filter', 'ancestor=busybox'), ['db', 'exit0', 'exit3', 'fresh', 'web']);
  const imageId = (await ok(['inspect', '-f', '{{.Image}}', 'web'])).trim();
  assert.deepEqual(await names('--filter', `ancestor=${imageId.slice(7, 19)}`), ['db', 'web']);
  assert.deepEqual(await names('-a', '--filter', 'ancestor=nosuchimage'), []);
  assert.deepEqual(await names('-a', '--filter', 'before=fresh'), ['exit0', 'exit3']);
  assert.deepEqual(await names('--filter', 'since=fresh'), ['db', 'web']);
  const bad = await h.docker(['ps', '--filter', 'status=sleeping']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /invalid filter 'status=sleeping'/);
});

test('ps --filter: volume, network, health, is-task, publish, expose', async () => {
  await ok(['create', '--name', 'vol', '-v', '/tmp:/data', '-p', '8080:80', '--expose', '7000', 'busybox', 'true']);
  assert.deepEqual(await names('-a', '--filter', 'volume=/data'), ['vol']);
  assert.deepEqual(await names('-a', '--filter', 'volume=/tmp'), ['vol']);
  assert.deepEqual(await names('--filter', 'network=bridge'), ['db', 'web']);
  assert.deepEqual(await names('-a', '--filter', 'network=host'), []);
  assert.deepEqual(await names('--filter', 'health=none'), ['db', 'web']);
  assert.deepEqual(await names('--filter', 'health=healthy'), []);
  assert.deepEqual(await names('--filter', 'is-task=false'), ['db', 'web']);
  assert.deepEqual(await names('-a', '--filter', 'publish=80'), ['vol']);
  assert.deepEqual(await names('-a', '--filter', 'expose=7000/tcp'), ['vol']);
  assert.deepEqual(await names('-a', '--filter', 'expose=6990-7010'), ['vol']);
  await ok(['rm', 'vol']);
});

test('ps shows the image by id once its name points at another image', async () => {
  h.t.engine.images.tag('busybox', 'moving:v1');
  await ok(['create', '--name', 'moved', 'moving:v1', 'true']);
  assert.equal((await ok(['ps', '-a', '--filter', 'name=moved', '--format', '{{.Image}}'])).trim(), 'moving:v1');
  await h.t.engine.images.remove('moving:v1');
  const imageId = (await ok(['inspect', '-f', '{{.Image}}', 'moved'])).trim();
  assert.equal((await ok(['ps', '-a', '--no-trunc', '--filter', 'name=moved', '--format', '{{.Image}}'])).trim(), imageId);
  await ok(['rm', 'moved']);
});

test('container prune removes the stopped containers that match its filters', async () => {
  const labelled = await ok(['container', 'prune', '-f', '--filter', 'label=app=batch']);
  assert.match(labelled, /^Deleted Containers:\n/);
  assert.deepEqual(labelled.split('\n').filter((l) => /^[0-9a-f]{64}$/.test(l)).sort(), [ids.exit0, ids.exit3].sort());
  assert.match(labelled, /Total reclaimed space: /);
  assert.deepEqual(await names('-a'), ['db', 'fresh', 'web']);
  await ok(['container', 'prune', '-f']);
  assert.deepEqual(await names('-a'), ['db', 'web'], 'running containers are never pruned');
  assert.equal((await ok(['container', 'prune', '-f'])).trim(), 'Total reclaimed space: 0B');
});
