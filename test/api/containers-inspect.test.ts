import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

let h: ApiHarness;
before(async () => { h = await startApiServer('ctr-inspect'); });
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const ok = (args: string[], input?: string): Promise<string> => h.ok(args, input);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
const inspect = async (...args: string[]): Promise<Doc> => (JSON.parse(await ok(['inspect', ...args])) as Doc[])[0];

test('inspect of a running container has dockerd\'s shape', async () => {
  const id = (await ok(['run', '-d', '--name', 'ins', '-l', 'a=b', '-e', 'X=1', 'busybox', 'sleep', '1000'])).trim();
  const c = await inspect('ins');
  assert.equal(c.Id, id);
  assert.equal(c.Name, '/ins');
  assert.equal(c.Path, 'sleep');
  assert.deepEqual(c.Args, ['1000']);
  assert.match(c.Created, /^\d{4}-\d\d-\d\dT/);
  assert.equal(c.State.Status, 'running');
  assert.equal(c.State.Running, true);
  assert.ok(c.State.Pid > 0);
  assert.equal(c.State.FinishedAt, '0001-01-01T00:00:00Z');
  assert.match(c.Image, /^sha256:[0-9a-f]{64}$/);
  assert.equal(c.Driver, 'overlay2');
  assert.equal(c.Platform, 'linux');
  assert.equal(c.RestartCount, 0);
  assert.equal(c.ExecIDs, null);
  for (const p of ['ResolvConfPath', 'HostnamePath', 'HostsPath', 'LogPath']) assert.ok((await stat(c[p])).isFile(), p);
  assert.equal(c.GraphDriver.Name, 'overlay2');
  for (const p of ['LowerDir', 'UpperDir', 'WorkDir', 'MergedDir']) assert.ok((await stat(c.GraphDriver.Data[p].split(':')[0])).isDirectory(), p);
  const hc = c.HostConfig;
  assert.deepEqual(hc.LogConfig, { Type: 'json-file', Config: {} });
  assert.equal(hc.NetworkMode, 'bridge');
  assert.deepEqual(hc.RestartPolicy, { Name: 'no', MaximumRetryCount: 0 });
  assert.equal(hc.ShmSize, 64 * 1024 * 1024);
  assert.equal(hc.Runtime, 'runc');
  assert.equal(hc.IpcMode, 'private');
  assert.equal(hc.Binds, null);
  assert.deepEqual(hc.Dns, [], 'what the CLI sent is shown as sent');
  assert.equal(hc.PidsLimit, null);
  assert.equal(hc.MemorySwappiness, null);
  assert.ok(hc.MaskedPaths.includes('/proc/kcore'));
  assert.ok(hc.ReadonlyPaths.includes('/proc/sys'));
  assert.deepEqual(c.Config.Cmd, ['sleep', '1000']);
  assert.equal(c.Config.Image, 'busybox');
  assert.equal(c.Config.Hostname, id.slice(0, 12));
  assert.ok(c.Config.Env.includes('X=1'));
  assert.ok(c.Config.Env.some((e: string) => e.startsWith('PATH=')));
  assert.deepEqual(c.Config.Labels, { a: 'b' });
  assert.equal(c.Config.Entrypoint, null);
  assert.equal('ExposedPorts' in c.Config, false);
  assert.deepEqual(Object.keys(c.NetworkSettings.Networks), ['bridge']);
  assert.equal(c.NetworkSettings.Networks.bridge.NetworkID, (await ok(['network', 'inspect', '--format', '{{.Id}}', 'bridge'])).trim());
  assert.match(c.NetworkSettings.Networks.bridge.EndpointID, /^[0-9a-f]{64}$/, 'a running container holds an endpoint');
  assert.deepEqual(c.NetworkSettings.Ports, {});
  assert.deepEqual(c.Mounts, []);
  assert.equal('SizeRw' in c, false);
  assert.equal((await ok(['inspect', '--format', '{{.State.Status}} {{.Config.Image}}', 'ins'])).trim(), 'running busybox');
});

test('inspect -s reports the sizes; a created container shows its planned mounts', async () => {
  const c = await inspect('-s', 'ins');
  assert.equal(typeof c.SizeRw, 'number');
  assert.ok(c.SizeRootFs > c.SizeRw, 'the root fs includes the image');
  await ok(['create', '--name', 'planned', '-v', '/tmp:/host-tmp:ro', 'busybox', 'true']);
  const p = await inspect('planned');
  assert.equal(p.State.Status, 'created');
  assert.equal(p.ResolvConfPath, '', 'dockerd sets the paths up at the first start');
  assert.deepEqual(p.Mounts, [{ Type: 'bind', Source: '/tmp', Destination: '/host-tmp', Mode: 'ro', RW: false, Propagation: 'rprivate' }]);
  await ok(['rm', 'planned']);
});

test('inspect of an unknown name fails with No such object', async () => {
  const r = await h.docker(['inspect', 'nope']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /No such object: nope/);
  const c = await h.docker(['container', 'inspect', 'nope']);
  assert.match(c.stderr, /No such container: nope/);
});

test('top lists the container\'s processes with ps on the host', async () => {
  const out = await ok(['top', 'ins']);
  const [titles, ...rows] = out.trim().split('\n');
  assert.match(titles!, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
  assert.equal(rows.length, 1);
  assert.match(rows[0]!, /sleep 1000$/);
  const pid = (await inspect('ins')).State.Pid;
  const custom = (await ok(['top', 'ins', '-o', 'pid,comm'])).trim().split('\n');
  assert.match(custom[0]!, /^PID\s+COMMAND$/);
  assert.match(custom[1]!, new RegExp(`^${pid}\\s+sleep$`));
  await ok(['stop', '-t', '0', 'ins']);
  const stopped = await h.docker(['top', 'ins']);
  assert.equal(stopped.code, 1);
  assert.match(stopped.stderr, /is not running/);
  await ok(['rm', 'ins']);
});
