/**
 * Log drivers through the stock CLI, dockerode and docker-py: json-file by default with
 * Docker's file format at inspect's LogPath, rotation under Docker's names, `none`, unknown
 * drivers and options, and the daemon's default options.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

let h: ApiHarness;
before(async () => { h = await startApiServer('log-drivers', { env: { WHARF_LOG_OPTS: 'max-size=10m,max-file=2' } }); });
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const ok = (args: string[]): Promise<string> => h.ok(args);
const inspect = async (name: string): Promise<{ Id: string; LogPath: string; HostConfig: { LogConfig: { Type: string; Config: Record<string, string> } } }> =>
  JSON.parse(await ok(['inspect', name]))[0];
const ENTRY = /^\{"log":"(?:[^"\\]|\\.)*","stream":"(stdout|stderr)","time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z"\}$/;

test('json-file is the default: named so in inspect and info, Docker\'s format at LogPath', async () => {
  assert.equal((await ok(['info', '-f', '{{.LoggingDriver}}'])).trim(), 'json-file');
  await ok(['run', '--name', 'deflt', 'busybox', 'sh', '-c', 'echo out; echo err >&2; printf tail']);
  const c = await inspect('deflt');
  // The daemon's options (WHARF_LOG_OPTS) are recorded with the default driver, as dockerd records its log-opts.
  assert.deepEqual(c.HostConfig.LogConfig, { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } });
  assert.equal(c.LogPath, join(h.config.root, 'containers', c.Id, `${c.Id}-json.log`));
  const r = await h.docker(['logs', 'deflt']);
  assert.equal(r.stdout, 'out\ntail');
  assert.equal(r.stderr, 'err\n');
  const lines = (await readFile(c.LogPath, 'utf8')).split('\n');
  assert.equal(lines.pop(), '', 'every entry ends with a newline');
  for (const l of lines) assert.match(l, ENTRY);
  const entries = lines.map((l) => JSON.parse(l) as { log: string; stream: string });
  assert.deepEqual(entries.map((e) => [e.stream, e.log]).sort(), [['stderr', 'err\n'], ['stdout', 'out\n'], ['stdout', 'tail']]);
  await ok(['rm', 'deflt']);
});

test('dockerode: a container created without a log config gets json-file and its logs read back', async () => {
  const c = await h.dockerode.createContainer({ name: 'dode', Image: 'busybox', Cmd: ['echo', 'from dockerode'] });
  await c.start();
  await c.wait();
  const info = await c.inspect();
  assert.equal(info.HostConfig.LogConfig?.Type, 'json-file');
  const logs = await c.logs({ stdout: true, stderr: true, follow: false });
  assert.equal(logs.subarray(8).toString(), 'from dockerode\n');
  await c.remove();
});

test('max-size and max-file rotate under Docker\'s names; docker logs reads everything kept', async () => {
  await ok(['run', '--name', 'rot', '--log-opt', 'max-size=2k', '--log-opt', 'max-file=3', 'busybox', 'seq', '1', '1000']);
  // `docker logs` reads the driver's files once conversion has caught up with the exited container.
  const all = await ok(['logs', 'rot']);
  const c = await inspect('rot');
  const dir = dirname(c.LogPath);
  const files = (await readdir(dir)).filter((f) => f.startsWith(basename(c.LogPath))).sort();
  assert.deepEqual(files, [`${c.Id}-json.log`, `${c.Id}-json.log.1`, `${c.Id}-json.log.2`]);
  let kept: string[] = [];
  for (const f of [`${c.Id}-json.log.2`, `${c.Id}-json.log.1`, `${c.Id}-json.log`]) {
    const text = await readFile(join(dir, f), 'utf8');
    kept = kept.concat(text.trim().split('\n').map((l) => (JSON.parse(l) as { log: string }).log.trim()));
  }
  const first = Number(kept[0]);
  assert.ok(first > 1, 'the oldest lines were rotated away');
  const expected = Array.from({ length: 1001 - first }, (_, i) => String(first + i));
  assert.deepEqual(kept, expected, 'the three files hold a contiguous run of lines ending at 1000');
  assert.equal(all, `${expected.join('\n')}\n`);
  assert.equal(await ok(['logs', '--tail', '3', 'rot']), '998\n999\n1000\n');
  await ok(['rm', 'rot']);
});

test('--log-driver none keeps no log and docker logs answers as dockerd does', async () => {
  await ok(['run', '--name', 'nolog', '--log-driver', 'none', 'busybox', 'echo', 'gone']);
  const c = await inspect('nolog');
  assert.deepEqual(c.HostConfig.LogConfig, { Type: 'none', Config: {} });
  assert.equal(c.LogPath, '');
  assert.ok(!existsSync(join(h.config.root, 'containers', c.Id, `${c.Id}-json.log`)));
  const r = await h.docker(['logs', 'nolog']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /configured logging driver does not support reading/);
  await ok(['rm', 'nolog']);
});

test('k8s-file (the driver of containers from before json-file) keeps working with every option of docker logs', async () => {
  await ok(['run', '--name', 'k8s', '--log-driver', 'k8s-file', 'busybox', 'sh', '-c', 'for i in 1 2 3; do echo l$i; sleep 0.05; done']);
  const c = await inspect('k8s');
  assert.equal(c.LogPath, join(h.config.root, 'containers', c.Id, 'ctr.log'));
  assert.equal(await ok(['logs', 'k8s']), 'l1\nl2\nl3\n');
  assert.equal(await ok(['logs', '--tail', '1', 'k8s']), 'l3\n');
  await ok(['rm', 'k8s']);
});

test('an unknown driver, option or option value is a 400 naming it, and nothing is created', async () => {
  const r = await h.docker(['create', '--name', 'badlog', '--log-driver', 'asdf', 'busybox', 'true']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /no log driver named 'asdf' is registered/);
  for (const [LogConfig, message] of [
    [{ Type: 'asdf', Config: {} }, "logger: no log driver named 'asdf' is registered"],
    [{ Type: '', Config: { 'max-sise': '1m' } }, "unknown log opt 'max-sise' for json-file log driver"],
    [{ Type: 'json-file', Config: { 'max-size': 'huge' } }, "invalid size: 'huge'"],
    [{ Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '0' } }, 'max-file cannot be less than 1'],
    [{ Type: 'none', Config: { 'max-size': '1m' } }, "unknown log opt 'max-size' for none log driver"],
  ] as const) {
    await assert.rejects(h.dockerode.createContainer({ name: 'badlog', Image: 'busybox', HostConfig: { LogConfig } as never }), (e: { statusCode?: number; json?: { message?: string } }) => {
      assert.equal(e.statusCode, 400, JSON.stringify(LogConfig));
      assert.equal(e.json?.message, message);
      return true;
    });
  }
  assert.equal((await h.docker(['inspect', 'badlog'])).code, 1, 'no container was created');
});

test('docker-py: containers.run() returns the container\'s output', { skip: !hasDockerPy() && 'Debian\'s python3-docker is not installed (scripts/setup.sh installs it)' }, async () => {
  const script = [
    'import docker, os',
    'client = docker.DockerClient(base_url="unix://" + os.environ["SOCK"], version="1.41")',
    'out = client.containers.run("busybox", "echo hi", remove=True)',
    'print(repr(out))',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', script], { env: { ...process.env, SOCK: h.socket }, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "b'hi\\n'");
});

function hasDockerPy(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import docker'], { stdio: 'ignore' }).status === 0;
}
