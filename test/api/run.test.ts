import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { eventually } from '../helpers/engine.ts';
import { dockerTerminal } from '../helpers/docker-pty.ts';

let h: ApiHarness;
let dir: string;
before(async () => {
  h = await startApiServer('run');
  dir = await mkdtemp(join(tmpdir(), 'wharf-run-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const ok = (args: string[], input?: string): Promise<string> => h.ok(args, input);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
async function inspect(name: string): Promise<Doc> {
  return (JSON.parse(await ok(['inspect', name])) as Doc[])[0];
}

/** Whether the engine still has a container of this name. */
async function exists(name: string): Promise<boolean> {
  const r = await h.docker(['container', 'inspect', name]);
  if (r.code === 0) return true;
  assert.match(r.stderr, /No such container/);
  return false;
}

test('run --rm prints the output, exits with the container exit code, and the container is gone', async () => {
  const r = await h.docker(['run', '--rm', '--name', 'rm3', 'busybox', 'sh', '-c', 'echo hi; exit 3']);
  assert.equal(r.stdout, 'hi\n');
  assert.equal(r.code, 3, r.stderr);
  assert.equal(await exists('rm3'), false);
  assert.equal(await ok(['ps', '-a', '-q', '--filter', 'name=rm3']), '');
});

test('run -i with piped stdin: bytes reach the container and EOF closes its stdin', async () => {
  assert.equal(await ok(['run', '-i', '--rm', 'busybox', 'cat'], 'hello\n'), 'hello\n');
  const big = 'x'.repeat(199_999) + '\n';
  assert.equal((await ok(['run', '-i', '--rm', 'busybox', 'wc', '-c'], big)).trim(), '200000');
});

test('run -it: an interactive shell on a pseudo-terminal, resized to the client terminal', async () => {
  const term = dockerTerminal(h, ['run', '-it', '--name', 'tty1', 'busybox', 'sh'], { cols: 101, rows: 31 });
  try {
    await term.expect('/ # ');
    await term.type('echo $((6*7))\r', /\r\n42\r\n/);
    await term.type('stty size\r', '31 101');
    assert.equal(await term.typeToExit('exit 5\r'), 5);
  } finally {
    term.kill();
  }
  const c = await inspect('tty1');
  assert.equal(c.Config.Tty, true);
  assert.equal(c.Config.OpenStdin, true);
  assert.equal(c.State.ExitCode, 5);
  await ok(['rm', 'tty1']);
});

test('run -d returns the id at once and leaves the container running', async () => {
  const id = (await ok(['run', '-d', '--name', 'bg', 'busybox', 'sleep', '60'])).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  const c = await inspect('bg');
  assert.equal(c.Id, id);
  assert.equal(c.State.Running, true);
  await ok(['rm', '-f', 'bg']);
});

test('run -d --rm: the engine removes the container once it exits', async () => {
  await ok(['run', '-d', '--rm', '--name', 'bgrm', 'busybox', 'true']);
  await eventually(async () => !(await exists('bgrm')), 'the --rm container to be removed');
});

test('run flags reach the process: -e, --env-file, -w, -u, --entrypoint, --hostname, -l, --name', async () => {
  const envFile = join(dir, 'env.list');
  await writeFile(envFile, 'FROM_FILE=yes\n# a comment\nPASSED\n');
  const r = await h.docker([
    'run', '--name', 'flags', '-e', 'A=1', '--env-file', envFile, '-w', '/tmp', '-u', 'nobody', '--hostname', 'box',
    '-l', 'team=core', '--entrypoint', 'sh', 'busybox', '-c', 'echo "$A $FROM_FILE $PASSED $(pwd) $(id -u) $(hostname)"',
  ], { env: { PASSED: 'through' } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '1 yes through /tmp 65534 box\n');
  const c = await inspect('flags');
  assert.equal(c.Name, '/flags');
  assert.deepEqual(c.Config.Entrypoint, ['sh']);
  assert.equal(c.Config.Labels.team, 'core');
  assert.equal(c.Config.User, 'nobody');
  await ok(['rm', 'flags']);
});

test('run -v binds a host directory and --tmpfs mounts a tmpfs', async () => {
  const data = join(dir, 'data');
  await mkdir(data);
  await writeFile(join(data, 'in'), 'from-host\n');
  const out = await ok(['run', '--rm', '-v', `${data}:/data`, '--tmpfs', '/scratch', 'busybox', 'sh', '-c', 'cat /data/in; echo from-container > /data/out; grep " /scratch " /proc/mounts | cut -d" " -f3']);
  assert.equal(out, 'from-host\ntmpfs\n');
  assert.equal(await readFile(join(data, 'out'), 'utf8'), 'from-container\n');
});

test('run --memory and --cpus set the cgroup limits', async () => {
  const id = (await ok(['run', '-d', '--name', 'lim', '--memory', '64m', '--cpus', '0.5', 'busybox', 'sleep', '60'])).trim();
  const parent = h.config.cgroupParent;
  if (existsSync('/sys/fs/cgroup/memory')) {
    assert.equal((await readFile(`/sys/fs/cgroup/memory${parent}/${id}/memory.limit_in_bytes`, 'utf8')).trim(), String(64 * 1024 * 1024));
    const quota = Number(await readFile(`/sys/fs/cgroup/cpu${parent}/${id}/cpu.cfs_quota_us`, 'utf8'));
    const period = Number(await readFile(`/sys/fs/cgroup/cpu${parent}/${id}/cpu.cfs_period_us`, 'utf8'));
    assert.equal(quota / period, 0.5);
  } else {
    assert.equal((await readFile(`/sys/fs/cgroup${parent}/${id}/memory.max`, 'utf8')).trim(), String(64 * 1024 * 1024));
    const [quota, period] = (await readFile(`/sys/fs/cgroup${parent}/${id}/cpu.max`, 'utf8')).trim().split(' ').map(Number);
    assert.equal(quota! / period!, 0.5);
  }
  const c = await inspect('lim');
  assert.equal(c.HostConfig.Memory, 64 * 1024 * 1024);
  assert.equal(c.HostConfig.NanoCpus, 500_000_000);
  await ok(['rm', '-f', 'lim']);
});

test('run --restart on-failure:2 restarts a failing container up to its limit', async () => {
  await ok(['run', '-d', '--name', 'rs', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'exit 1']);
  const c = await eventually(async () => {
    const i = await inspect('rs');
    return i.RestartCount === 2 && i.State.Status === 'exited' ? i : undefined;
  }, 'two restarts then a stop', 20_000);
  assert.deepEqual(c.HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 2 });
  assert.equal(c.State.ExitCode, 1);
  await ok(['rm', 'rs']);
});

test('run --restart always -v data:/data restarts with its named volume until docker stop', async () => {
  await ok(['run', '-d', '--name', 'rsv', '--restart', 'always', '-v', 'rsv-data:/data', 'busybox', 'sh', '-c', 'echo run >> /data/runs; wc -l < /data/runs; exit 1']);
  await eventually(async () => (await inspect('rsv')).RestartCount >= 2, 'two restarts', 30_000);
  await ok(['stop', '-t', '1', 'rsv']);
  const c = await inspect('rsv');
  assert.equal(c.State.Status, 'exited');
  assert.notEqual(c.State.ExitCode, 128, 'the restarts started, not failed');
  // Each run saw the lines of the runs before it: the same named volume every time.
  const logs = (await ok(['logs', 'rsv'])).trim().split('\n').map(Number);
  assert.ok(logs.length >= 3);
  assert.deepEqual(logs, logs.map((_, i) => i + 1));
  await ok(['rm', 'rsv']);
  await ok(['volume', 'rm', 'rsv-data']);
});

test('run -p and -P are recorded, published and shown by inspect and ps', async () => {
  await ok(['run', '-d', '--name', 'pp', '-p', '8080:80', '-p', '127.0.0.1:9090:90/udp', '-P', '--expose', '7000', 'busybox', 'sleep', '60']);
  const c = await inspect('pp');
  assert.deepEqual(c.HostConfig.PortBindings, { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '90/udp': [{ HostIp: '127.0.0.1', HostPort: '9090' }] });
  assert.equal(c.HostConfig.PublishAllPorts, true);
  assert.deepEqual(Object.keys(c.Config.ExposedPorts).sort(), ['7000/tcp', '80/tcp', '90/udp']);
  assert.deepEqual(c.NetworkSettings.Ports['80/tcp'], [{ HostIp: '0.0.0.0', HostPort: '8080' }]);
  // -P gives the exposed port without a binding an ephemeral host port.
  const eph = c.NetworkSettings.Ports['7000/tcp'] as { HostIp: string; HostPort: string }[];
  assert.equal(eph.length, 1);
  assert.ok(Number(eph[0]!.HostPort) >= 32768, eph[0]!.HostPort);
  const ports = await ok(['ps', '--filter', 'name=pp', '--format', '{{.Ports}}']);
  assert.match(ports, /0\.0\.0\.0:8080->80\/tcp/);
  assert.match(ports, /127\.0\.0\.1:9090->90\/udp/);
  await ok(['rm', '-f', 'pp']);
});

test('run --rm of a command that cannot start fails and still removes the container', async () => {
  const r = await h.docker(['run', '--rm', '--name', 'nocmd', 'busybox', 'no-such-command']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Error response from daemon/);
  await eventually(async () => !(await exists('nocmd')), 'the failed --rm container to be removed');
});
