import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { humanDuration, stateString, statusString } from '../../server/docker-api/containers/status.ts';
import { commandString } from '../../server/docker-api/containers/summary-view.ts';
import { DetachFilter, parseDetachKeys } from '../../server/docker-api/containers/detach-keys.ts';
import { parsePsOutput } from '../../server/docker-api/containers/top.ts';
import { matchLabels } from '../../server/docker-api/containers/filters.ts';
import { regexpFilter } from '../../server/docker-api/go-regexp.ts';
import { parseUntil } from '../../server/docker-api/containers/prune.ts';
import { hostConfigView } from '../../server/docker-api/containers/host-config-view.ts';
import { OutputWriter } from '../../server/docker-api/containers/output-writer.ts';
import type { ContainerState } from '../../runtime/index.ts';

const ZERO = '0001-01-01T00:00:00Z';
const base: ContainerState = { Status: 'created', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0, ExitCode: 0, Error: '', StartedAt: ZERO, FinishedAt: ZERO };
const at = (iso: string): number => Date.parse(iso);

test('humanDuration follows go-units', () => {
  assert.equal(humanDuration(500), 'Less than a second');
  assert.equal(humanDuration(1000), '1 second');
  assert.equal(humanDuration(42_000), '42 seconds');
  assert.equal(humanDuration(90_000), 'About a minute');
  assert.equal(humanDuration(30 * 60_000), '30 minutes');
  assert.equal(humanDuration(70 * 60_000), 'About an hour');
  assert.equal(humanDuration(5 * 3_600_000), '5 hours');
  assert.equal(humanDuration(3 * 86_400_000), '3 days');
  assert.equal(humanDuration(21 * 86_400_000), '3 weeks');
  assert.equal(humanDuration(90 * 86_400_000), '3 months');
  assert.equal(humanDuration(3 * 365 * 86_400_000), '3 years');
});

test('status strings as docker ps shows them', () => {
  const now = at('2030-01-01T00:10:00Z');
  assert.equal(statusString(base, now), 'Created');
  assert.equal(stateString(base), 'created');
  const running = { ...base, Status: 'running' as const, Running: true, StartedAt: '2030-01-01T00:09:57Z' };
  assert.equal(statusString(running, now), 'Up 3 seconds');
  assert.equal(statusString({ ...running, Paused: true }, now), 'Up 3 seconds (Paused)');
  assert.equal(stateString({ ...running, Paused: true }), 'paused');
  const exited = { ...base, Status: 'exited' as const, StartedAt: '2030-01-01T00:00:00Z', FinishedAt: '2030-01-01T00:08:00Z', ExitCode: 0 };
  assert.equal(statusString(exited, now), 'Exited (0) 2 minutes ago');
  assert.equal(stateString(exited), 'exited');
  const restarting = { ...exited, Restarting: true, ExitCode: 1, FinishedAt: '2030-01-01T00:09:59Z' };
  assert.equal(statusString(restarting, now), 'Restarting (1) 1 second ago');
  assert.equal(stateString(restarting), 'restarting');
  const healthy = { ...running, Health: { Status: 'starting', FailingStreak: 0, Log: [] } } as ContainerState;
  assert.equal(statusString(healthy, now), 'Up 3 seconds (health: starting)');
});

test('the Command column quotes arguments with spaces', () => {
  assert.equal(commandString('sleep', []), 'sleep');
  assert.equal(commandString('sh', ['-c', 'echo hi']), "sh -c 'echo hi'");
});

test('detach keys: parsing and filtering', async () => {
  assert.deepEqual([...parseDetachKeys(null)], [16, 17]);
  assert.deepEqual([...parseDetachKeys('ctrl-a,x,ctrl-\\')], [1, 120, 28]);
  assert.throws(() => parseDetachKeys('ctrl-aa'), /Invalid detach keys/);
  const run = async (chunks: string[]): Promise<{ out: string; detached: boolean }> => {
    const f = new DetachFilter(parseDetachKeys('ctrl-p,ctrl-q'));
    let detached = false;
    f.once('detach', () => { detached = true; });
    const parts: Buffer[] = [];
    f.on('data', (d: Buffer) => parts.push(d));
    const done = new Promise((r) => f.once('end', r));
    Readable.from(chunks.map((c) => Buffer.from(c, 'latin1'))).pipe(f);
    await done;
    return { out: Buffer.concat(parts).toString('latin1'), detached };
  };
  assert.deepEqual(await run(['ab', '\x10', '\x11', 'lost']), { out: 'ab', detached: true });
  assert.deepEqual(await run(['a\x10b\x10', 'c']), { out: 'a\x10b\x10c', detached: false });
  assert.deepEqual(await run(['a\x10']), { out: 'a\x10', detached: false });
});

test('top keeps the container\'s rows of ps output, thread rows included', () => {
  const out = 'UID PID PPID CMD\nroot 10 1 sleep 100\n- - - thread\nroot 11 1 other thing\n- - - x\n';
  assert.deepEqual(parsePsOutput(out, new Set([10])), { Titles: ['UID', 'PID', 'PPID', 'CMD'], Processes: [['root', '10', '1', 'sleep 100'], ['-', '-', '-', 'thread']] });
  assert.throws(() => parsePsOutput('UID CMD\n', new Set([1])), /PID field/);
});

test('filter matching: names are regular expressions, labels key or key=value', () => {
  assert.equal(regexpFilter('name', [])('/x'), true);
  assert.equal(regexpFilter('name', ['web'])('/my-web-1'), true);
  assert.equal(regexpFilter('name', ['^/web$'])('/my-web-1'), false);
  // RE2 syntax: what Go rejects is a 400 naming the filter, before any row is compared.
  assert.throws(() => regexpFilter('name', ['[bad']), (e: Error & { status?: number }) => /invalid filter 'name=\[bad'/.test(e.message));
  assert.throws(() => regexpFilter('name', ['(?=lookahead)']), /invalid filter 'name/);
  assert.equal(matchLabels(['a', 'b=2'], { a: '1', b: '2' }), true);
  assert.equal(matchLabels(['b=3'], { b: '2' }), false);
  assert.equal(matchLabels(['c'], {}), false);
});

test('prune until: durations back from now, or timestamps', () => {
  const now = at('2030-01-01T12:00:00Z');
  assert.equal(parseUntil('1h30m', now), at('2030-01-01T10:30:00Z'));
  assert.equal(parseUntil('1893456000', now), 1893456000 * 1000);
  assert.equal(parseUntil('2030-01-01T00:00:00Z', now), at('2030-01-01T00:00:00Z'));
});

test('HostConfig view: dockerd\'s defaults fill what the client left out', () => {
  const v = hostConfigView({ NetworkMode: 'default', MemorySwappiness: -1, PidsLimit: 0, Dns: [] } as never);
  assert.equal(v.NetworkMode, 'bridge');
  assert.deepEqual(v.LogConfig, { Type: 'k8s-file', Config: {} });
  assert.equal(v.MemorySwappiness, null);
  assert.equal(v.PidsLimit, null);
  assert.deepEqual(v.Dns, []);
  assert.equal(v.Binds, null);
  assert.equal(v.ShmSize, 64 * 1024 * 1024);
  assert.equal('Tmpfs' in v, false);
  assert.equal(Object.keys(v)[0], 'Binds');
});

test('output: one stdcopy frame per run of a stream, raw with a TTY, timestamps as a prefix', async () => {
  const chunk = (stream: 'stdout' | 'stderr', text: string) => ({ stream, timeNs: 0n, time: '2030-01-01T00:00:00.000000001Z', data: Buffer.from(text) });
  const collect = async (tty: boolean, timestamps: boolean, chunks: ReturnType<typeof chunk>[]): Promise<Buffer> => {
    const dest = new PassThrough();
    const parts: Buffer[] = [];
    dest.on('data', (d: Buffer) => parts.push(d));
    const w = new OutputWriter(dest, tty, timestamps);
    for (const c of chunks) assert.equal(await w.add(c), true);
    w.flush();
    dest.end();
    await new Promise((r) => dest.on('end', r));
    return Buffer.concat(parts);
  };
  const framed = await collect(false, false, [chunk('stdout', 'a\n'), chunk('stdout', 'b\n'), chunk('stderr', 'x\n'), chunk('stdout', 'c\n')]);
  assert.deepEqual([...framed], [1, 0, 0, 0, 0, 0, 0, 4, 97, 10, 98, 10, 2, 0, 0, 0, 0, 0, 0, 2, 120, 10, 1, 0, 0, 0, 0, 0, 0, 2, 99, 10]);
  assert.equal((await collect(true, false, [chunk('stdout', 'x\n'), chunk('stderr', 'y\n')])).toString(), 'x\ny\n');
  assert.equal((await collect(true, true, [chunk('stdout', 'x\n'), chunk('stdout', 'y\n')])).toString(), '2030-01-01T00:00:00.000000001Z x\n2030-01-01T00:00:00.000000001Z y\n');
});

test('output: small chunks wait for a client that has not taken what was written before', async () => {
  const dest = new PassThrough({ highWaterMark: 1024 });
  const w = new OutputWriter(dest, true);
  const line = { stream: 'stdout' as const, timeNs: 0n, time: '', data: Buffer.alloc(100, 0x61) };
  const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
  // Each add is below the writer's piece size: its bytes go out at the next turn of the loop.
  let waiting: Promise<boolean> | undefined;
  for (let added = 0; added < 1000 && !waiting; added++) {
    let settled = false;
    const p = w.add(line).finally(() => { settled = true; });
    await turn();
    await turn();
    if (!settled) waiting = p;
    else assert.equal(await p, true);
  }
  assert.ok(waiting, 'the writer waits for the client');
  assert.ok(dest.writableLength + dest.readableLength <= 4096, `${dest.writableLength + dest.readableLength} bytes queued for a client that reads nothing`);
  dest.resume();
  assert.equal(await waiting, true, 'it goes on once the client reads');
  w.cancel();
});

test('a catastrophic backtracking pattern runs in linear time', () => {
  // (a+)+$ against a long run of a's followed by b takes exponential time in a backtracking
  // engine; RE2 answers after one pass. Correctness is asserted, the speed is what lets it return.
  const match = regexpFilter('name', ['(a+)+$']);
  assert.equal(match(`/${'a'.repeat(5000)}b`), false);
  assert.equal(match('/aaaa'), true);
});
