import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import type { HostConfig } from 'dockerode';
import { demux } from '../helpers/stdcopy.ts';

/** The parts of `docker network inspect` these tests read. */
interface NetworkInspect {
  Id: string; Driver: string; Scope: string; Labels: Record<string, string>; Options: Record<string, string>;
  IPAM: { Config: { Subnet?: string; Gateway?: string }[] };
  Containers: Record<string, { Name: string }>;
}

let h: ApiHarness;
before(async () => { h = await startApiServer('volnet'); });
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ socketPath: h.socket, method, path, headers: text ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let out = '';
      res.on('data', (d: Buffer) => { out += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

const ok = (args: string[], input?: string): Promise<string> => h.ok(args, input);

/** Run a busybox command to completion through the Docker API; returns exit code and output. */
async function run(cmd: string[], hostConfig: HostConfig = {}, extra: { Volumes?: Record<string, object> } = {}): Promise<{ id: string; code: number; out: string }> {
  const c = await h.dockerode.createContainer({ Image: 'busybox', Cmd: cmd, ...extra, HostConfig: hostConfig });
  await c.start();
  const code = ((await c.wait()) as { StatusCode: number }).StatusCode;
  return { id: c.id, code, out: await logs(c.id) };
}

/** Everything a container logged so far, both streams. */
async function logs(id: string): Promise<string> {
  return demux(await h.dockerode.getContainer(id).logs({ stdout: true, stderr: true, follow: false })).map((f) => f.text).join('');
}

/** The names of the volumes a container mounts. */
async function volumesOf(id: string): Promise<string[]> {
  const mounts = (await h.dockerode.getContainer(id).inspect()).Mounts as { Type: string; Name?: string }[];
  return mounts.filter((m) => m.Type === 'volume').map((m) => m.Name!);
}

const volumeNames = async (): Promise<string[]> => (await ok(['volume', 'ls', '-q'])).split('\n').filter(Boolean).sort();
const status = async (path: string): Promise<number> => (await raw('GET', path)).status;

test('docker volume create, ls, inspect, rm; same name twice is the same volume; bad names are 400', async () => {
  assert.equal((await ok(['volume', 'create', '--label', 'tier=db', 'vn-data'])).trim(), 'vn-data');
  const createdAt = async () => (await ok(['volume', 'inspect', '--format', '{{.CreatedAt}}', 'vn-data'])).trim();
  const first = await createdAt();
  assert.equal((await ok(['volume', 'create', 'vn-data'])).trim(), 'vn-data');
  assert.equal(await createdAt(), first);
  const [v] = JSON.parse(await ok(['volume', 'inspect', 'vn-data'])) as Record<string, unknown>[];
  assert.equal(v!.Name, 'vn-data');
  assert.equal(v!.Driver, 'local');
  assert.equal(v!.Scope, 'local');
  assert.deepEqual(v!.Labels, { tier: 'db' });
  assert.equal(v!.Mountpoint, join(h.config.root, 'volumes', 'vn-data', '_data'));
  assert.ok(!Number.isNaN(Date.parse(v!.CreatedAt as string)));
  assert.equal(v!.UsageData, undefined);
  assert.match(await ok(['volume', 'ls']), /^local\s+vn-data$/m);
  assert.equal((await ok(['volume', 'ls', '-q', '--filter', 'label=tier=db'])).trim(), 'vn-data');
  assert.equal((await ok(['volume', 'ls', '-q', '--filter', 'name=vn-d'])).trim(), 'vn-data');
  assert.equal((await ok(['volume', 'ls', '-q', '--filter', 'label=tier=web'])).trim(), '');

  const anon = JSON.parse((await raw('POST', '/v1.47/volumes/create', {})).body) as { Name: string; Labels: Record<string, string> };
  assert.match(anon.Name, /^[0-9a-f]{64}$/);
  assert.deepEqual(anon.Labels, { 'com.docker.volume.anonymous': '' });

  const bad = await h.docker(['volume', 'create', 'no/slashes']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /create no\/slashes: "no\/slashes" includes invalid characters for a local volume name/);
  const badStatus = await raw('POST', '/v1.47/volumes/create', { Name: 'x' });
  assert.equal(badStatus.status, 400);
  const badOpt = await raw('POST', '/v1.47/volumes/create', { Name: 'vn-opt', DriverOpts: { colour: 'red' } });
  assert.equal(badOpt.status, 400);
  assert.match(badOpt.body, /invalid option: \\"colour\\"/);
  const badDriver = await raw('POST', '/v1.47/volumes/create', { Name: 'vn-drv', Driver: 'nfs-plugin' });
  assert.equal(badDriver.status, 404);
  assert.deepEqual((await readdir(join(h.config.root, 'volumes'))).sort(), [anon.Name, 'vn-data'].sort(), 'refused creates leave nothing');

  const missing = await h.docker(['volume', 'inspect', 'vn-missing']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /get vn-missing: no such volume/);
  assert.equal((await raw('DELETE', '/v1.47/volumes/vn-missing')).status, 404);
  assert.equal((await raw('DELETE', '/v1.47/volumes/vn-missing?force=1')).status, 204);
  assert.equal((await ok(['volume', 'rm', 'vn-data', anon.Name])).trim(), `vn-data\n${anon.Name}`);
  assert.equal(await status('/v1.47/volumes/vn-data'), 404);
  assert.deepEqual(await readdir(join(h.config.root, 'volumes')), []);
});

test('a named volume keeps data across containers; volume rm of a used volume is 409', async () => {
  const w = await run(['sh', '-c', 'echo persisted > /data/file'], { Binds: ['vn-keep:/data'] });
  assert.equal(w.code, 0, w.out);
  assert.match(await ok(['volume', 'ls']), /^local\s+vn-keep$/m, 'mounting a missing name creates the volume');
  const r = await run(['cat', '/data/file'], { Mounts: [{ Type: 'volume', Source: 'vn-keep', Target: '/data', ReadOnly: true }] });
  assert.deepEqual([r.code, r.out], [0, 'persisted\n']);
  assert.equal(await readFile(join(h.config.root, 'volumes/vn-keep/_data/file'), 'utf8'), 'persisted\n');

  const inUse = await h.docker(['volume', 'rm', 'vn-keep']);
  assert.notEqual(inUse.code, 0);
  assert.match(inUse.stderr, new RegExp(`remove vn-keep: volume is in use - \\[(${w.id}|${r.id}), (${w.id}|${r.id})\\]`));
  const status = await raw('DELETE', '/v1.47/volumes/vn-keep?force=1');
  assert.equal(status.status, 409, 'force does not remove a volume in use');
  assert.equal((await ok(['volume', 'ls', '-q', '--filter', 'dangling=false'])).trim(), 'vn-keep');

  await h.dockerode.getContainer(w.id).remove();
  await h.dockerode.getContainer(r.id).remove();
  assert.equal((await ok(['volume', 'ls', '-q', '--filter', 'dangling=true'])).trim(), 'vn-keep');
  await ok(['volume', 'rm', 'vn-keep']);
});

test('copy-up into fresh volumes (not with nocopy); anonymous volumes for Config.Volumes, kept across restarts', async () => {
  const copied = await run(['ls', '/var/spool'], { Binds: ['vn-fresh:/var/spool'] });
  assert.deepEqual([copied.code, copied.out], [0, 'mail\n'], 'the image content at the path is copied into a fresh volume');
  const nocopy = await run(['ls', '/var/spool'], { Binds: ['vn-nocopy:/var/spool:nocopy'] });
  assert.deepEqual([nocopy.code, nocopy.out], [0, '']);

  const anon = await run(['sh', '-c', 'echo x >> /scratch/log; cat /scratch/log'], {}, { Volumes: { '/scratch': {} } });
  assert.deepEqual([anon.code, anon.out], [0, 'x\n']);
  const owned = await volumesOf(anon.id);
  assert.equal(owned.length, 1);
  assert.match(owned[0]!, /^[0-9a-f]{64}$/);
  const volumesBefore = await volumeNames();
  const restarted = h.dockerode.getContainer(anon.id);
  await restarted.start();
  await restarted.wait();
  assert.equal(await logs(anon.id), 'x\nx\nx\n', 'a restart mounts the same anonymous volume');
  assert.deepEqual(await volumesOf(anon.id), owned);
  assert.deepEqual(await volumeNames(), volumesBefore, 'a restart creates no other volume');
  const inspected = JSON.parse((await raw('GET', `/v1.47/volumes/${owned[0]!}`)).body) as Record<string, unknown>;
  assert.equal(inspected.Name, owned[0]!);
  assert.deepEqual(inspected.Labels, { 'com.docker.volume.anonymous': '' });

  // `docker rm -v`: the engine drops the container's anonymous volumes, never named ones.
  await ok(['rm', '-v', anon.id]);
  assert.deepEqual(await volumeNames(), volumesBefore.filter((v) => v !== owned[0]));
  for (const id of [copied.id, nocopy.id]) await ok(['rm', '-v', id]);
  assert.ok((await volumeNames()).includes('vn-fresh') && (await volumeNames()).includes('vn-nocopy'), 'rm -v keeps named volumes');

  await ok(['volume', 'create', 'vn-named']);
  const leftover = JSON.parse((await raw('POST', '/v1.47/volumes/create', {})).body) as { Name: string };
  const pruned = await ok(['volume', 'prune', '-f']);
  assert.match(pruned, new RegExp(`^${leftover.Name}$`, 'm'));
  assert.doesNotMatch(pruned, /vn-named|vn-fresh/, 'prune takes only anonymous volumes unless --all');
  const all = await ok(['volume', 'prune', '-f', '--all']);
  assert.match(all, /^vn-named$/m);
  assert.match(all, /^vn-fresh$/m);
  assert.equal((await ok(['volume', 'ls', '-q'])).trim(), '');
});

test('docker network ls, create, inspect, rm', async () => {
  const ls = await ok(['network', 'ls', '--format', '{{.Name}} {{.Driver}} {{.Scope}}']);
  assert.deepEqual(ls.trim().split('\n').sort(), ['bridge bridge local', 'host host local', 'none null local']);
  const [bridge] = JSON.parse(await ok(['network', 'inspect', 'bridge'])) as NetworkInspect[];
  // The engine's own subnet (never docker0's 172.17.0.0/16), with its first address as gateway.
  const subnet = h.config.bridgeSubnet;
  assert.notEqual(subnet, '172.17.0.0/16');
  assert.deepEqual(bridge!.IPAM.Config, [{ Subnet: subnet, Gateway: subnet.replace(/\.0\/\d+$/, '.1') }]);
  assert.equal(bridge!.Options['com.docker.network.bridge.default_bridge'], 'true');

  const id = (await ok(['network', 'create', '--subnet', '10.213.0.0/16', '--gateway', '10.213.0.1', '--label', 'team=net', 'vn-net'])).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  const [n] = JSON.parse(await ok(['network', 'inspect', 'vn-net'])) as NetworkInspect[];
  assert.equal(n!.Id, id);
  assert.equal(n!.Driver, 'bridge');
  assert.equal(n!.Scope, 'local');
  assert.deepEqual(n!.IPAM.Config, [{ Subnet: '10.213.0.0/16', Gateway: '10.213.0.1' }]);
  assert.deepEqual(n!.Labels, { team: 'net' });
  assert.deepEqual(n!.Containers, {});
  assert.equal((await ok(['network', 'inspect', '--format', '{{.Name}}', id.slice(0, 12)])).trim(), 'vn-net');
  assert.equal((await ok(['network', 'ls', '-q', '--no-trunc', '--filter', 'type=custom'])).trim(), id);
  assert.equal((await ok(['network', 'ls', '--format', '{{.Name}}', '--filter', 'label=team=net'])).trim(), 'vn-net');

  const auto = (await ok(['network', 'create', 'vn-auto'])).trim();
  const autoCfg = (JSON.parse((await raw('GET', `/v1.47/networks/${auto}`)).body) as { IPAM: { Config: { Subnet: string; Gateway: string }[] } }).IPAM.Config;
  assert.deepEqual(autoCfg, [{ Subnet: '172.18.0.0/16', Gateway: '172.18.0.1' }], 'the first free default pool');

  const badSubnet = await h.docker(['network', 'create', '--subnet', '10.300.0.0/16', 'vn-bad']);
  assert.notEqual(badSubnet.code, 0);
  assert.match(badSubnet.stderr, /invalid subnet 10\.300\.0\.0\/16: invalid CIDR block notation/);
  const badGw = await raw('POST', '/v1.47/networks/create', { Name: 'vn-bad', IPAM: { Config: [{ Subnet: '10.214.0.0/16', Gateway: '10.99.0.1' }] } });
  assert.equal(badGw.status, 400);
  assert.match(badGw.body, /invalid gateway 10\.99\.0\.1: parent subnet 10\.214\.0\.0\/16 doesn't contain this address/);
  const unmasked = await raw('POST', '/v1.47/networks/create', { Name: 'vn-bad', IPAM: { Config: [{ Subnet: '10.214.3.0/16' }] } });
  assert.match(unmasked.body, /invalid subnet 10\.214\.3\.0\/16: it should be 10\.214\.0\.0\/16/);
  const overlap = await raw('POST', '/v1.47/networks/create', { Name: 'vn-bad', IPAM: { Config: [{ Subnet: '10.213.5.0/24' }] } });
  assert.equal(overlap.status, 403);
  assert.match(overlap.body, /Pool overlaps with other one on this address space/);
  assert.equal(await status('/v1.47/networks/vn-bad'), 404, 'refused creates leave nothing');

  const dup = await h.docker(['network', 'create', 'vn-net']);
  assert.notEqual(dup.code, 0);
  assert.match(dup.stderr, /network with name vn-net already exists/);
  assert.equal((await raw('POST', '/v1.47/networks/create', { Name: 'vn-net' })).status, 409);
  const predefined = await raw('POST', '/v1.47/networks/create', { Name: 'host' });
  assert.equal(predefined.status, 403);

  const rmBridge = await h.docker(['network', 'rm', 'bridge']);
  assert.notEqual(rmBridge.code, 0);
  assert.match(rmBridge.stderr, /bridge is a pre-defined network and cannot be removed/);
  assert.equal((await raw('DELETE', '/v1.47/networks/bridge')).status, 403);
  assert.equal((await raw('DELETE', '/v1.47/networks/vn-nothing')).status, 404);
  assert.equal((await ok(['network', 'rm', 'vn-net', 'vn-auto'])).trim(), 'vn-net\nvn-auto');
  assert.equal(await status('/v1.47/networks/vn-net'), 404);
});

test('a network with a running container lists it, refuses removal, survives prune', async () => {
  await ok(['network', 'create', '--subnet', '10.215.0.0/24', 'vn-busy']);
  await ok(['network', 'create', '--subnet', '10.216.0.0/24', 'vn-idle']);
  const c = await h.dockerode.createContainer({ name: 'vn-sleeper', Image: 'busybox', Cmd: ['sleep', '60'], HostConfig: { NetworkMode: 'vn-busy' } });
  await c.start();
  const [n] = JSON.parse(await ok(['network', 'inspect', 'vn-busy'])) as { Containers: Record<string, { Name: string; EndpointID: string }> }[];
  assert.deepEqual(Object.keys(n!.Containers), [c.id]);
  assert.equal(n!.Containers[c.id]!.Name, 'vn-sleeper');
  assert.equal((await ok(['network', 'ls', '--format', '{{.Name}}', '--filter', 'dangling=true'])).trim(), 'vn-idle');

  const rm = await raw('DELETE', '/v1.47/networks/vn-busy');
  assert.equal(rm.status, 403);
  assert.match(rm.body, /network vn-busy has active endpoints \(name:\\"vn-sleeper\\"/);
  const pruned = await ok(['network', 'prune', '-f']);
  assert.match(pruned, /^vn-idle$/m);
  assert.doesNotMatch(pruned, /vn-busy/);
  assert.equal(await status('/v1.47/networks/vn-busy'), 200);

  await c.remove({ force: true });
  await ok(['network', 'rm', 'vn-busy']);
});
