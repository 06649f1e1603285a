/**
 * What real clients (SDKs, compose, the CLI's swarm and plugin commands) rely on beyond the
 * container basics: a non-swarm node's answers, SDK-style create bodies full of nulls, log driver
 * checks, the health filter's values and the legacy image fields of older API versions.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import tar from 'tar-stream';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { request } from '../helpers/unix-http.ts';

let h: ApiHarness;
before(async () => { h = await startApiServer('fidelity'); });
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const NOT_MANAGER = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
const api = (method: string, path: string, body?: unknown) => request({ socketPath: h.socket }, method, path, { body });

test('swarm, node, service, task, secret and config verbs answer 503 as a dockerd outside a swarm', async () => {
  for (const [method, path] of [
    ['GET', '/v1.47/swarm'], ['POST', '/v1.47/swarm/update'], ['GET', '/v1.47/swarm/unlockkey'], ['POST', '/swarm/unlock'],
    ['GET', '/v1.47/nodes'], ['GET', '/nodes/n1'], ['DELETE', '/nodes/n1'], ['POST', '/nodes/n1/update'],
    ['GET', '/v1.47/services'], ['POST', '/services/create'], ['GET', '/services/s1'], ['DELETE', '/services/s1'], ['POST', '/services/s1/update'], ['GET', '/services/s1/logs'],
    ['GET', '/v1.47/tasks'], ['GET', '/tasks/t1'], ['GET', '/tasks/t1/logs'],
    ['GET', '/v1.47/secrets'], ['POST', '/secrets/create'], ['GET', '/secrets/x'], ['DELETE', '/secrets/x'], ['POST', '/secrets/x/update'],
    ['GET', '/v1.47/configs'], ['POST', '/configs/create'], ['GET', '/configs/x'], ['DELETE', '/configs/x'], ['POST', '/configs/x/update'],
  ] as const) {
    const r = await api(method, path);
    assert.equal(r.status, 503, `${method} ${path}: ${r.text}`);
    assert.deepEqual(r.json(), { message: NOT_MANAGER }, `${method} ${path}`);
  }
  const init = await api('POST', '/v1.47/swarm/init', { ListenAddr: '0.0.0.0:2377' });
  assert.equal(init.status, 501);
  assert.match((init.json() as { message: string }).message, /swarm mode is not supported by Wharf/);
});

test('swarm leave: dockerode rejects with 503 and dockerd\'s message; the CLI prints it', async () => {
  await assert.rejects(h.dockerode.swarmLeave({ force: true }), (err: { statusCode?: number; json?: { message?: string } }) => {
    assert.equal(err.statusCode, 503);
    assert.equal(err.json?.message, 'This node is not part of a swarm');
    return true;
  });
  const leave = await h.docker(['swarm', 'leave', '--force']);
  assert.notEqual(leave.code, 0);
  assert.match(leave.stderr, /This node is not part of a swarm/);
  const nodes = await h.docker(['node', 'ls']);
  assert.notEqual(nodes.code, 0);
  assert.match(nodes.stderr, /This node is not a swarm manager\. Use "docker swarm init"/);
});

test('plugins: an empty list, 404 for any name, filters checked', async () => {
  const list = await api('GET', '/v1.47/plugins');
  assert.equal(list.status, 200);
  assert.deepEqual(list.json(), []);
  assert.equal((await h.ok(['plugin', 'ls', '--format', '{{.Name}}'])).trim(), '');
  assert.equal((await api('GET', `/plugins?filters=${encodeURIComponent('{"enabled":["true"]}')}`)).status, 200);
  const bad = await api('GET', `/plugins?filters=${encodeURIComponent('{"nope":["1"]}')}`);
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json(), { message: "invalid filter 'nope'" });
  for (const [method, path, name] of [
    ['GET', '/v1.47/plugins/x/json', 'x'], ['GET', '/plugins/vieux/sshfs:latest/json', 'vieux/sshfs:latest'], ['DELETE', '/plugins/x', 'x'],
    ['POST', '/plugins/x/enable', 'x'], ['POST', '/plugins/x/disable', 'x'], ['POST', '/plugins/x/set', 'x'], ['POST', '/plugins/x/push', 'x'], ['POST', '/plugins/x/upgrade', 'x'],
  ] as const) {
    const r = await api(method, path);
    assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
    assert.deepEqual(r.json(), { message: `plugin "${name}" not found` });
  }
  const inspect = await h.docker(['plugin', 'inspect', 'x']);
  assert.notEqual(inspect.code, 0);
  assert.match(inspect.stderr, /plugin "x" not found/);
  assert.equal((await api('POST', '/plugins/pull?remote=vieux/sshfs')).status, 501);
});

test('create takes the nulls SDKs send for unset fields (docker-py\'s body), as Docker\'s defaults', async () => {
  // The shape docker-py's create_container posts: unset Healthcheck and HostConfig fields are null.
  const body = {
    Image: 'busybox', Cmd: ['sh', '-c', 'exit 3'], Tty: false, OpenStdin: false, StdinOnce: false, AttachStdin: false, AttachStdout: false, AttachStderr: false,
    NetworkDisabled: false, Hostname: null, Domainname: null, User: null, Env: null, Volumes: null, WorkingDir: null, Entrypoint: null, Labels: null, StopSignal: null, StopTimeout: null, MacAddress: null, ExposedPorts: null,
    Healthcheck: { Test: ['CMD', 'true'], Interval: null, Timeout: null, Retries: null, StartPeriod: null, StartInterval: null },
    HostConfig: {
      NetworkMode: 'default', Binds: null, PortBindings: null, RestartPolicy: null, AutoRemove: null, Privileged: null, ReadonlyRootfs: null,
      Memory: null, MemorySwap: null, NanoCpus: null, CpuShares: null, CpuPeriod: null, CpuQuota: null, PidsLimit: null, CapAdd: null, CapDrop: null, Dns: null, ExtraHosts: null, Tmpfs: null, Mounts: null,
      LogConfig: { Type: null, Config: null },
    },
  };
  const r = await api('POST', '/v1.41/containers/create?name=fid-nulls', body);
  assert.equal(r.status, 201, r.text);
  const c = h.dockerode.getContainer('fid-nulls');
  await c.start();
  assert.equal((await c.wait()).StatusCode, 3);
  const info = await c.inspect();
  assert.deepEqual(info.Config.Healthcheck, { Test: ['CMD', 'true'] });
  assert.equal(info.Config.Hostname, info.Id.slice(0, 12));
  assert.equal(info.HostConfig.Memory, 0);
  assert.equal(info.HostConfig.NetworkMode, 'bridge');
  await c.remove();
  // dockerode sends the same nulls for a health check left partly unset.
  const d = await h.dockerode.createContainer({ name: 'fid-dockerode', Image: 'busybox', Cmd: ['true'], Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: null, Timeout: null } as never });
  assert.deepEqual((await d.inspect()).Config.Healthcheck, { Test: ['CMD-SHELL', 'true'] });
  await d.remove();
});

test('an unknown log driver or option is a 400 naming it, and creates nothing', async () => {
  const before = await h.dockerode.listContainers({ all: true });
  const asdf = await api('POST', '/containers/create?name=fid-log', { Image: 'busybox', HostConfig: { LogConfig: { Type: 'asdf', Config: {} } } });
  assert.equal(asdf.status, 400);
  assert.deepEqual(asdf.json(), { message: "logger: no log driver named 'asdf' is registered", field: 'HostConfig.LogConfig.Type' });
  const cli = await h.docker(['create', '--name', 'fid-log', '--log-driver', 'asdf', 'busybox']);
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /no log driver named 'asdf' is registered/);
  const opt = await h.docker(['create', '--name', 'fid-log', '--log-driver', 'json-file', '--log-opt', 'bogus=1', 'busybox']);
  assert.notEqual(opt.code, 0);
  assert.match(opt.stderr, /unknown log opt 'bogus' for json-file log driver/);
  const mode = await api('POST', '/containers/create?name=fid-log', { Image: 'busybox', HostConfig: { LogConfig: { Type: 'json-file', Config: { mode: 'sometimes' } } } });
  assert.equal(mode.status, 400);
  assert.deepEqual((await h.dockerode.listContainers({ all: true })).length, before.length);
  // Docker's own drivers and options are accepted.
  await h.ok(['create', '--name', 'fid-log', '--log-driver', 'json-file', '--log-opt', 'max-size=1m', '--log-opt', 'max-file=2', 'busybox']);
  await h.ok(['rm', 'fid-log']);
});

test('ps --filter health takes Docker\'s values and words a bad one as dockerd', async () => {
  for (const v of ['starting', 'healthy', 'unhealthy', 'none']) assert.equal((await h.docker(['ps', '-a', '--filter', `health=${v}`])).code, 0);
  const bad = await api('GET', `/containers/json?filters=${encodeURIComponent('{"health":["sick"]}')}`);
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json(), { message: 'Unrecognised filter value for health: sick' });
});

/** A docker-archive of a one-layer image whose config records the container that made it, as Docker's classic builder wrote. */
async function legacyImageArchive(): Promise<Buffer> {
  const layer = await packed([{ name: 'hello', body: Buffer.from('hi\n') }]);
  const diffID = `sha256:${createHash('sha256').update(layer).digest('hex')}`;
  const config = {
    architecture: 'amd64', os: 'linux', created: '2020-01-01T00:00:00Z',
    container: 'c0ffee0000000000000000000000000000000000000000000000000000000000',
    container_config: { Hostname: 'c0ffee000000', Image: 'sha256:abc', Volumes: { '/data': {} }, Cmd: ['/bin/sh', '-c', '#(nop) VOLUME [/data]'], Labels: {} },
    config: { Cmd: ['sh'], Volumes: { '/data': {} } },
    rootfs: { type: 'layers', diff_ids: [diffID] },
  };
  const manifest = [{ Config: 'config.json', RepoTags: ['fidelity/legacy:1'], Layers: ['layer.tar'] }];
  return packed([{ name: 'layer.tar', body: layer }, { name: 'config.json', body: Buffer.from(JSON.stringify(config)) }, { name: 'manifest.json', body: Buffer.from(JSON.stringify(manifest)) }]);
}

async function packed(entries: { name: string; body: Buffer }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, mode: 0o644 }, e.body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('image inspect below API 1.45 carries Container and ContainerConfig as recorded; 1.45 and later omit them', async () => {
  const stream = await h.dockerode.loadImage(await legacyImageArchive() as never, { quiet: true });
  let out = '';
  for await (const c of stream) out += (c as Buffer).toString();
  assert.match(out, /Loaded image: fidelity\/legacy:1/);
  const old = (await api('GET', '/v1.44/images/fidelity/legacy:1/json')).json() as Record<string, unknown>;
  assert.equal(old.Container, 'c0ffee0000000000000000000000000000000000000000000000000000000000');
  const cc = old.ContainerConfig as Record<string, unknown>;
  assert.deepEqual(cc.Volumes, { '/data': {} });
  assert.equal(cc.Hostname, 'c0ffee000000');
  assert.equal(cc.Image, 'sha256:abc');
  const now = (await api('GET', '/v1.47/images/fidelity/legacy:1/json')).json() as Record<string, unknown>;
  assert.equal('ContainerConfig' in now, false);
  assert.equal('Container' in now, false);
  await h.ok(['rmi', 'fidelity/legacy:1']);
});

test('DELETE /containers/{parent}/{alias}?link=1 removes a legacy link as `docker rm --link` does', async () => {
  await h.ok(['create', '--name', 'fid-child', 'busybox', 'sleep', '60']);
  await h.ok(['create', '--name', 'fid-parent', '--link', 'fid-child:db', 'busybox', 'true']);
  const links = async (): Promise<string[]> => (await h.dockerode.getContainer('fid-parent').inspect()).HostConfig.Links ?? [];
  assert.equal((await links()).length, 1);
  await h.ok(['rm', '--link', 'fid-parent/db']);
  assert.deepEqual(await links(), []);
  const again = await api('DELETE', '/v1.47/containers/fid-parent/db?link=1');
  assert.equal(again.status, 404);
  assert.deepEqual(again.json(), { message: 'No such container: fid-parent/db' });
  const own = await api('DELETE', '/v1.47/containers/fid-child?link=1');
  assert.equal(own.status, 400);
  assert.deepEqual(own.json(), { message: 'Conflict, cannot remove the default link name of the container' });
  const none = await api('DELETE', '/v1.47/containers/fid-nobody/db?link=1');
  assert.equal(none.status, 404);
  // Both containers are still there; the child was never touched.
  await h.ok(['rm', 'fid-parent', 'fid-child']);
});
