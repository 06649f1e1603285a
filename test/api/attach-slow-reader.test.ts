/**
 * An attached client that reads slower than its container writes still gets every line, as
 * dockerd's attach gives it: the output waits for the reader in conmon's log file. The log of
 * a `none` container stays small while nobody is attached. Through the stock CLI against the
 * server as `npm start` composes it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startWharf, type Wharf } from '../helpers/wharf-server.ts';
import { cliConfigDir, runDocker } from '../helpers/docker-cli.ts';

const LINES = 1_000_000;
/** A `none` container's buffer (1 MiB) plus what may come in before the engine starts a new one. */
const NONE_BOUND = 4 * 1024 * 1024;

let wharf: Wharf;
before(async () => { wharf = await startWharf('lnslow'); });
after(async () => {
  const left = await wharf?.stop();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const docker = (args: string[]) => runDocker(wharf.socket, cliConfigDir(wharf.runRoot), args, { timeoutMs: 300_000 });
async function ok(args: string[]): Promise<string> {
  const r = await docker(args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Resolves once the container has been seen and has then exited or been removed. */
async function ranToTheEnd(name: string): Promise<void> {
  let seen = false;
  for (;;) {
    const state = await wharf.docker.getContainer(name).inspect().then((c) => c.State.Status, () => undefined);
    if (state !== undefined) seen = true;
    if (seen && (state === undefined || state === 'exited')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `docker run` attached, its output left unread until the container has printed everything
 * (the CLI, then the engine's attach, block behind the full pipe), then read through.
 */
async function runWithStalledReader(name: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('docker', ['run', '--name', name, ...args], {
    env: { ...process.env, DOCKER_HOST: `unix://${wharf.socket}`, DOCKER_CONFIG: cliConfigDir(wharf.runRoot), DOCKER_CLI_HINTS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const err: Buffer[] = [];
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const closed = once(child, 'close');
  // A CLI that failed before the container ran has nothing to wait for.
  await Promise.race([ranToTheEnd(name), closed]);
  const out: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  const [code] = await closed as [number | null];
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/** The server's peak resident memory so far (a diagnostic: a stalled client must not fill it). */
async function peakMemory(): Promise<string> {
  return /VmHWM:\s*(.*)/.exec(await readFile(`/proc/${wharf.pid}/status`, 'utf8'))?.[1] ?? '?';
}

function assertSeq(stdout: string): void {
  const lines = stdout.split('\n');
  assert.equal(lines.pop(), '', `the output ends with a newline (${lines.length} lines, the last ${JSON.stringify(lines.at(-1))})`);
  assert.equal(lines[0], '1');
  assert.equal(lines.at(-1), String(LINES));
  assert.equal(lines.length, LINES);
  const gap = lines.findIndex((l, i) => l !== String(i + 1));
  assert.equal(gap, -1, `line ${gap + 1} is ${JSON.stringify(lines[gap])}`);
}

test('--log-driver none: an attached reader far behind the container gets every line, and docker logs still refuses', async (t) => {
  const r = await runWithStalledReader('ln-none-seq', ['--rm', '--log-driver', 'none', 'busybox', 'seq', '1', String(LINES)]);
  t.diagnostic(`server peak memory: ${await peakMemory()}`);
  assert.equal(r.code, 0, r.stderr);
  assertSeq(r.stdout);
  await ok(['run', '-d', '--name', 'ln-none-logs', '--log-driver', 'none', 'busybox', 'true']);
  const logs = await docker(['logs', 'ln-none-logs']);
  assert.notEqual(logs.code, 0);
  assert.match(logs.stderr, /configured logging driver does not support reading/);
  await ok(['rm', '-f', 'ln-none-logs']);
});

test('json-file: an attached reader far behind the container gets every line, and docker logs has them too', async (t) => {
  const r = await runWithStalledReader('ln-json-seq', ['--log-driver', 'json-file', 'busybox', 'seq', '1', String(LINES)]);
  t.diagnostic(`server peak memory: ${await peakMemory()}`);
  assert.equal(r.code, 0, r.stderr);
  assertSeq(r.stdout);
  assertSeq(await ok(['logs', 'ln-json-seq']));
  await ok(['rm', 'ln-json-seq']);
});

test('--log-driver none: conmon\'s file stays small while the container prints many megabytes with nobody attached', async (t) => {
  const id = (await ok(['run', '-d', '--name', 'ln-none-bound', '--log-driver', 'none', 'busybox', 'sh', '-c', `seq 1 ${LINES}; touch /printed; exec sleep 1000`])).trim();
  const dir = join(wharf.root, 'containers', id);
  // Sizes seen while it prints (diagnostics for a failure; the assertion is on the end state).
  const seen: number[] = [];
  for (;;) {
    seen.push((await stat(join(dir, 'ctr.log'))).size);
    const printed = await docker(['exec', 'ln-none-bound', 'test', '-e', '/printed']);
    if (printed.code === 0) break;
    assert.match(printed.stderr, /^$/, 'the container still runs');
  }
  t.diagnostic(`ctr.log sizes while printing: ${seen.join(' ')}`);
  // The last new file is started at the engine's next look at the log after the output ended.
  let size = Infinity;
  for (let i = 0; i < 600 && size > NONE_BOUND; i++) {
    size = (await stat(join(dir, 'ctr.log'))).size;
    if (size > NONE_BOUND) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(size <= NONE_BOUND, `ctr.log is ${size} bytes after ${LINES} lines (sizes seen while printing: ${seen.join(' ')})`);
  const inDir = await readdir(dir);
  assert.deepEqual(inDir.filter((f) => f.startsWith('ctr.log')), ['ctr.log'], 'no other log file is left beside it');
  const blocks = (await stat(join(dir, 'ctr.log'))).blocks * 512;
  assert.ok(blocks <= NONE_BOUND, `ctr.log holds ${blocks} bytes of disk`);
  await ok(['rm', '-f', 'ln-none-bound']);
});
