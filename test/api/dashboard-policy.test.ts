/**
 * The role policy, driven through the dashboard's Docker API proxy of a full server: it is
 * decided on the request the engine executes (the route its router picked, the options its
 * verbs parsed), so no spelling of a path or a key gets around it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDashboard, type DashboardHarness, type Reply } from './dashboard-harness.ts';

const PASSWORD = 'admin password 123';
const ALL_RELAXED = { bindMounts: true, privileged: true, hostNamespaces: true, devices: true, capabilities: true, sysctls: true, securityOptions: true };
const NONE_RELAXED = Object.fromEntries(Object.keys(ALL_RELAXED).map((k) => [k, false]));
let h: DashboardHarness;
let admin: string;
let operator: string;
let viewer: string;
let hostDir: string;
let seq = 0;

const docker = (path: string) => `/api/environments/local/docker${path}`;
const call = (cookie: string, method: string, path: string, body?: unknown): Promise<Reply> => h.request(method, docker(path), { cookie, body });
const name = (prefix: string) => `pol-${prefix}-${++seq}`;

async function create(cookie: string, body: object, path = '/containers/create'): Promise<Reply> {
  const sep = path.includes('?') ? '&' : '?';
  return call(cookie, 'POST', `${path}${sep}name=${name('c')}`, { Image: 'busybox', Cmd: ['sleep', '600'], ...body });
}

async function relax(settings: Record<string, boolean>): Promise<void> {
  const r = await h.request('PUT', '/api/environments/local/security', { cookie: admin, body: { ...NONE_RELAXED, ...settings } });
  assert.equal(r.status, 200, r.text);
}

function refused(r: Reply, field: string, context: string): void {
  assert.equal(r.status, 403, `${context}: ${r.text}`);
  assert.equal(r.json().field, field, context);
}

before(async () => {
  h = await startDashboard('dash-policy', { adminPassword: PASSWORD });
  hostDir = await mkdtemp(join(tmpdir(), 'wharf-test-policy-'));
  admin = await h.login('admin', PASSWORD);
  for (const [username, role] of [['op', 'operator'], ['viewer', 'readonly']]) {
    const r = await h.request('POST', '/api/users', { cookie: admin, body: { username, password: PASSWORD, role } });
    assert.equal(r.status, 201, r.text);
  }
  operator = await h.login('op', PASSWORD);
  viewer = await h.login('viewer', PASSWORD);
});
after(async () => {
  for (const c of await h.api.dockerode.listContainers({ all: true })) await h.api.dockerode.getContainer(c.Id).remove({ force: true });
  for (const v of (await h.api.dockerode.listVolumes()).Volumes ?? []) await h.api.dockerode.getVolume(v.Name).remove();
  const left = await h.close();
  await rm(hostDir, { recursive: true, force: true });
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

test('every spelling of a path that the engine routes is held to the policy of the verb it reaches', async () => {
  const spellings = [
    '/containers/create', '/v1.47/containers/create', '/v1.24/containers/create', '//containers//create', '/containers//create',
    '/containers/./create', '/./containers/create', '/containers/x/../create', '/containers/%2e/create', '/containers/%63reate',
    '/containers%2Fcreate', '/Containers/create', '/CONTAINERS/CREATE', '/containers/create/', '/v1.47//containers/create', '/V1.47/containers/create',
  ];
  let routed = 0;
  for (const path of spellings) {
    // What the engine does with this spelling, for someone the policy does not restrict.
    const plain = await create(admin, {}, path);
    const attack = await create(operator, { HostConfig: { Privileged: true } }, path);
    if (plain.status === 201) {
      routed++;
      refused(attack, 'HostConfig.Privileged', path);
      assert.equal((await create(operator, {}, path)).status, 201, path);
    } else {
      assert.equal(attack.status, plain.status, `${path}: the engine does not route it, for anyone: ${attack.text}`);
    }
  }
  assert.ok(routed >= 4, `the engine routed ${routed} spellings`);
  for (const c of await h.api.dockerode.listContainers({ all: true })) {
    assert.equal((await h.api.dockerode.getContainer(c.Id).inspect()).HostConfig.Privileged, false, c.Names[0]);
  }
});

test('keys the engine does not read are not read by the policy either: they change nothing', async () => {
  for (const body of [
    { hostconfig: { Privileged: true } }, { HOSTCONFIG: { Privileged: true } }, { HostConfig: { privileged: true } },
    { HostConfig: { binds: [`${hostDir}:/host`] } }, { HostConfig: { BINDS: [`${hostDir}:/host`] } }, { Privileged: true },
  ]) {
    const r = await create(operator, body);
    assert.equal(r.status, 201, `${JSON.stringify(body)}: ${r.text}`);
    const c = await h.api.dockerode.getContainer(r.json().Id).inspect();
    assert.equal(c.HostConfig.Privileged, false, JSON.stringify(body));
    assert.deepEqual(c.HostConfig.Binds ?? [], [], JSON.stringify(body));
  }
});

test('each host-reaching setting: refused to an operator, allowed to the admin, allowed once relaxed', async () => {
  const cases: Array<[string, object, string]> = [
    ['bindMounts', { HostConfig: { Binds: [`${hostDir}:/host`] } }, 'HostConfig.Binds[0]'],
    ['bindMounts', { HostConfig: { Binds: ['data:/data', '/etc:/etc:ro'] } }, 'HostConfig.Binds[1]'],
    ['bindMounts', { HostConfig: { Mounts: [{ Type: 'bind', Source: hostDir, Target: '/host' }] } }, 'HostConfig.Mounts[0]'],
    ['bindMounts', { HostConfig: { Mounts: [{ Type: 'volume', Source: '/etc', Target: '/host' }] } }, 'HostConfig.Mounts[0].Source'],
    ['bindMounts', { HostConfig: { Mounts: [{ Type: 'volume', Source: 'v1', Target: '/v', VolumeOptions: { DriverConfig: { Name: 'local', Options: { device: '/etc', o: 'bind' } } } }] } }, 'HostConfig.Mounts[0].VolumeOptions.DriverConfig'],
    ['privileged', { HostConfig: { Privileged: true } }, 'HostConfig.Privileged'],
    ['hostNamespaces', { HostConfig: { NetworkMode: 'host' } }, 'HostConfig.NetworkMode'],
    ['hostNamespaces', { HostConfig: { PidMode: 'host' } }, 'HostConfig.PidMode'],
    ['hostNamespaces', { HostConfig: { IpcMode: 'host' } }, 'HostConfig.IpcMode'],
    ['hostNamespaces', { HostConfig: { UTSMode: 'host' } }, 'HostConfig.UTSMode'],
    ['hostNamespaces', { HostConfig: { UsernsMode: 'host' } }, 'HostConfig.UsernsMode'],
    ['hostNamespaces', { HostConfig: { CgroupnsMode: 'host' } }, 'HostConfig.CgroupnsMode'],
    ['hostNamespaces', { NetworkingConfig: { EndpointsConfig: { host: {} } } }, 'NetworkingConfig.EndpointsConfig.host'],
    ['devices', { HostConfig: { Devices: [{ PathOnHost: '/dev/kmsg', PathInContainer: '/dev/kmsg', CgroupPermissions: 'r' }] } }, 'HostConfig.Devices'],
    ['devices', { HostConfig: { DeviceCgroupRules: ['c 1:* rwm'] } }, 'HostConfig.DeviceCgroupRules'],
    ['capabilities', { HostConfig: { CapAdd: ['SYS_ADMIN'] } }, 'HostConfig.CapAdd'],
    ['sysctls', { HostConfig: { Sysctls: { 'net.ipv4.ip_forward': '1' } } }, 'HostConfig.Sysctls'],
    ['securityOptions', { HostConfig: { SecurityOpt: ['seccomp=unconfined'] } }, 'HostConfig.SecurityOpt[0]'],
    ['securityOptions', { HostConfig: { SecurityOpt: ['no-new-privileges=false'] } }, 'HostConfig.SecurityOpt[0]'],
    ['securityOptions', { HostConfig: { MaskedPaths: [] } }, 'HostConfig.MaskedPaths'],
  ];
  for (const [rule, body, field] of cases) {
    const r = await create(operator, body);
    refused(r, field, `${rule} ${JSON.stringify(body)}`);
    assert.match(r.json().message, /^operators cannot use .+ \(.+\)$/);
    // Refused by the policy, not by the engine: the admin gets past it.
    assert.notEqual((await create(admin, body)).status, 403, `admin: ${JSON.stringify(body)}`);
    await relax({ [rule]: true });
    const relaxed = await create(operator, body);
    assert.notEqual(relaxed.status, 403, `relaxed ${rule}: ${relaxed.text}`);
    // Relaxing one rule relaxes only that one.
    if (rule !== 'privileged') refused(await create(operator, { HostConfig: { Privileged: true } }), 'HostConfig.Privileged', `only ${rule} relaxed`);
    await relax({});
  }
  // Named volumes, tmpfs and the container's own settings stay open to operators.
  assert.equal((await create(operator, { HostConfig: { Binds: ['data:/data'], Mounts: [{ Type: 'tmpfs', Target: '/tmp' }], CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'] } })).status, 201);
});

test('volumes whose driver options mount a host path, and the containers that use them', async () => {
  const opts = { type: 'none', o: 'bind', device: hostDir };
  refused(await call(operator, 'POST', '/volumes/create', { Name: 'pol-hostvol-op', DriverOpts: opts }), 'DriverOpts', 'volume create');
  // Past the policy, the engine decides (it may not implement driver options: 501).
  assert.notEqual((await call(operator, 'POST', '/volumes/create', { Name: 'pol-tmpfs', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' } })).status, 403);
  const hostVolume = await call(admin, 'POST', '/volumes/create', { Name: 'pol-hostvol', DriverOpts: opts });
  assert.notEqual(hostVolume.status, 403, hostVolume.text);
  if (hostVolume.status === 201) {
    refused(await create(operator, { HostConfig: { Binds: ['pol-hostvol:/x'] } }), 'HostConfig.Binds[0]', 'bind of a host volume');
    refused(await create(operator, { HostConfig: { Mounts: [{ Type: 'volume', Source: 'pol-hostvol', Target: '/x' }] } }), 'HostConfig.Mounts[0].Source', 'mount of a host volume');
  } else assert.equal(hostVolume.status, 501, hostVolume.text); // the same lookups are proven in test/unit/policy-rules.test.ts
  await relax({ bindMounts: true });
  assert.notEqual((await call(operator, 'POST', '/volumes/create', { Name: 'pol-hostvol-op', DriverOpts: opts })).status, 403);
  await relax({});
});

test('a container that reaches the host: no attach, exec, copy, export, commit, shared namespaces or volumes for an operator', async () => {
  const privName = name('priv');
  const made = await call(admin, 'POST', `/containers/create?name=${privName}`, { Image: 'busybox', Cmd: ['sleep', '600'], HostConfig: { Privileged: true, PidMode: 'host' } });
  assert.equal(made.status, 201, made.text);
  const priv = made.json().Id as string;
  assert.equal((await call(admin, 'POST', `/containers/${priv}/start`)).status, 204);
  const plain = (await create(operator, {})).json().Id as string;
  assert.equal((await call(operator, 'POST', `/containers/${plain}/start`)).status, 204);
  const field = `container ${priv}: HostConfig.Privileged`;
  refused(await call(operator, 'POST', `/containers/${priv}/exec`, { Cmd: ['id'] }), field, 'exec');
  refused(await call(operator, 'POST', `/containers/${priv}/attach?stream=1&stdout=1`), field, 'attach');
  refused(await call(operator, 'GET', `/containers/${priv}/archive?path=/etc/hostname`), field, 'archive get');
  refused(await call(viewer, 'GET', `/containers/${priv}/archive?path=/etc/hostname`), field, 'archive get (readonly)');
  refused(await call(operator, 'PUT', `/containers/${priv}/archive?path=/tmp`, ''), field, 'archive put');
  refused(await call(operator, 'GET', `/containers/${priv}/export`), field, 'export');
  refused(await call(operator, 'POST', `/commit?container=${priv}&changes=${encodeURIComponent('CMD ["sh"]')}`), field, 'commit');
  // By name as well as by id.
  refused(await call(operator, 'POST', `/containers/${privName}/exec`, { Cmd: ['id'] }), `container ${privName}: HostConfig.Privileged`, 'exec by name');
  refused(await create(operator, { HostConfig: { NetworkMode: `container:${privName}` } }), 'HostConfig.NetworkMode', 'container: namespace');
  refused(await create(operator, { HostConfig: { IpcMode: `container:${priv}` } }), 'HostConfig.IpcMode', 'container: namespace');
  refused(await create(operator, { HostConfig: { VolumesFrom: [`${privName}:ro`] } }), 'HostConfig.VolumesFrom[0]', 'volumes-from');
  // An exec the admin made privileged is not the operator's to start, even in a plain container.
  const adminExec = await call(admin, 'POST', `/containers/${plain}/exec`, { Cmd: ['id'], Privileged: true });
  assert.equal(adminExec.status, 201, adminExec.text);
  refused(await call(operator, 'POST', `/exec/${adminExec.json().Id}/start`, { Detach: true }), 'Privileged', 'exec start');
  refused(await call(operator, 'POST', `/containers/${plain}/exec`, { Cmd: ['id'], Privileged: true }), 'Privileged', 'privileged exec');
  // The plain container is the operator's to work in.
  const exec = await call(operator, 'POST', `/containers/${plain}/exec`, { Cmd: ['true'] });
  assert.equal(exec.status, 201, exec.text);
  assert.equal((await call(operator, 'POST', `/exec/${exec.json().Id}/start`, { Detach: true })).status, 200);
  assert.equal((await call(operator, 'GET', `/containers/${plain}/archive?path=/etc/hostname`)).status, 200);
  // Relaxed, the operator may work in such a container too.
  await relax({ privileged: true, hostNamespaces: true });
  assert.equal((await call(operator, 'POST', `/containers/${priv}/exec`, { Cmd: ['id'] })).status, 201);
  await relax({});
  for (const id of [priv, plain]) assert.equal((await call(admin, 'POST', `/containers/${id}/kill`)).status, 204);
});

test('update changes resources only; networks that attach to the host are refused', async () => {
  const id = (await create(operator, {})).json().Id as string;
  refused(await call(operator, 'POST', `/containers/${id}/update`, { Devices: [{ PathOnHost: '/dev/mem' }] }), 'Devices', 'update devices');
  refused(await call(operator, 'POST', `/containers/${id}/update`, { Privileged: true }), 'Privileged', 'update privileged');
  assert.equal((await call(operator, 'POST', `/containers/${id}/update`, { Memory: 64 * 1024 * 1024, MemorySwap: -1, BlkioWeight: 0 })).status, 200);
  refused(await call(operator, 'POST', '/networks/create', { Name: 'pol-macvlan', Driver: 'macvlan' }), 'Driver', 'macvlan');
  refused(await call(operator, 'POST', '/networks/create', { Name: 'pol-br', Options: { 'com.docker.network.bridge.name': 'lo' } }), 'Options.com.docker.network.bridge.name', 'bridge name');
  refused(await call(operator, 'POST', '/networks/host/connect', { Container: id }), 'network', 'connect to host');
  // The host network by its id is the host network.
  const hostId = (await call(admin, 'GET', '/networks/host')).json().Id as string;
  refused(await create(operator, { HostConfig: { NetworkMode: hostId } }), 'HostConfig.NetworkMode', 'host network by id');
  refused(await create(operator, { NetworkingConfig: { EndpointsConfig: { [hostId]: {} } } }), `NetworkingConfig.EndpointsConfig.${hostId}`, 'host endpoint by id');
  // An import from a URL has the engine fetch any address, the host's own network included.
  refused(await call(operator, 'POST', '/images/create?fromSrc=http%3A%2F%2F127.0.0.1%3A1%2Fx.tar&repo=pol-imported'), 'fromSrc', 'import from a URL');
});

test('deny by default: a verb without a rule is for administrators; readonly users only read', async () => {
  for (const [method, path] of [['POST', '/swarm/init'], ['POST', '/plugins/pull?remote=x'], ['POST', '/secrets/create'], ['DELETE', '/plugins/x']] as const) {
    const r = await call(operator, method, path, {});
    assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
    assert.match(r.json().message, /^only administrators can use /);
    assert.notEqual((await call(admin, method, path, {})).status, 403, `admin ${method} ${path}`);
  }
  for (const [method, path] of [['POST', '/containers/create'], ['POST', '/volumes/create'], ['POST', '/images/load'], ['POST', '/build']] as const) {
    const r = await call(viewer, method, path, {});
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.match(r.json().message, /readonly users can only view/);
  }
  assert.equal((await call(viewer, 'GET', '/containers/json')).status, 200);
});

test('security settings: visible to every user, changed only by admins, and audited', async () => {
  const seen = await h.request('GET', '/api/environments/local/security', { cookie: viewer });
  assert.equal(seen.status, 200);
  assert.deepEqual(seen.json(), NONE_RELAXED);
  assert.equal((await h.request('PUT', '/api/environments/local/security', { cookie: operator, body: ALL_RELAXED })).status, 403);
  const bad = await h.request('PUT', '/api/environments/local/security', { cookie: admin, body: { ...NONE_RELAXED, everything: true } });
  assert.equal(bad.status, 400, bad.text);
  assert.equal((await h.request('GET', '/api/environments/nowhere/security', { cookie: admin })).status, 404);
  await relax({ bindMounts: true });
  assert.equal((await h.request('GET', '/api/environments/local/security', { cookie: operator })).json().bindMounts, true);
  await relax({});
  const audit = await h.request('GET', '/api/audit?action=environment.security', { cookie: admin });
  const entries = audit.json().entries as Array<{ username: string; status: number; target: string }>;
  assert.ok(entries.some((e) => e.username === 'admin' && e.status === 200 && e.target === 'local'), audit.text);
  assert.ok(entries.some((e) => e.username === 'op' && e.status === 403), audit.text);
});

test('another engine: matched by the same router, held to the same rules, sent on rebuilt; checked verbs are for admins', async () => {
  // The server's own socket, added as a second environment: requests to it take the remote path.
  const env = await h.request('POST', '/api/environments', { cookie: admin, body: { name: 'pol-remote', url: `unix://${h.api.socket}` } });
  assert.equal(env.status, 201, env.text);
  const remote = (path: string) => `/api/environments/${env.json().id}/docker${path}`;
  const send = (cookie: string, method: string, path: string, body?: unknown) => h.request(method, remote(path), { cookie, body });
  const privName = name('rpriv');
  assert.equal((await send(admin, 'POST', `/containers/create?name=${privName}`, { Image: 'busybox', Cmd: ['sleep', '600'], HostConfig: { Privileged: true } })).status, 201);
  for (const path of ['/containers/create', '//containers//create', '/v1.47/containers/create', '/containers/./create']) {
    const r = await send(operator, 'POST', path, { Image: 'busybox', HostConfig: { Privileged: true } });
    assert.ok(r.status === 403 || r.status === 404, `${path}: ${r.status} ${r.text}`);
  }
  assert.match((await send(operator, 'POST', '/containers/create', { Image: 'busybox' })).json().message, /only administrators can use POST \/containers\/create on an environment other than the embedded engine/);
  assert.equal((await send(operator, 'GET', '/containers/json?all=1')).status, 200);
  // Container checks look the container up on that engine.
  refused(await send(operator, 'GET', `/containers/${privName}/archive?path=/etc/hostname`), `container ${privName}: HostConfig.Privileged`, 'remote archive');
  refused(await send(operator, 'POST', `/containers/${privName}/attach?stream=1&stdout=1`), `container ${privName}: HostConfig.Privileged`, 'remote attach');
  assert.equal((await send(operator, 'POST', '/swarm/init', {})).status, 403);
  assert.equal((await send(viewer, 'POST', `/containers/${privName}/start`)).status, 403);
  // What is allowed goes through: a start, on the canonical path.
  assert.equal((await send(operator, 'POST', `/containers/${encodeURIComponent(privName)}/start`)).status, 204);
  assert.equal((await send(admin, 'POST', `/containers/${privName}/kill`)).status, 204);
  assert.equal((await h.request('DELETE', `/api/environments/${env.json().id}`, { cookie: admin })).status, 204);
});
