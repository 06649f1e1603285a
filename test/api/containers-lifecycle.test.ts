import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { eventually } from '../helpers/engine.ts';

let h: ApiHarness;
before(async () => { h = await startApiServer('ctr-life'); });
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const ok = (args: string[], input?: string): Promise<string> => h.ok(args, input);

const state = (name: string): Promise<string> => ok(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}} {{.State.Running}} {{.State.Paused}}', name]).then((s) => s.trim());

/** A container that logs `ready` once its trap for `sig` is installed, so a signal can't race it. */
async function trapping(name: string, sig: string, code: number): Promise<void> {
  await ok(['run', '-d', '--name', name, 'busybox', 'sh', '-c', `trap "echo got-${sig}; exit ${code}" ${sig}; echo ready; while true; do sleep 0.1; done`]);
  await eventually(async () => (await ok(['logs', name])).includes('ready'), `${name} to be ready`);
}

test('create makes a container that start -a runs attached, with its exit code', async () => {
  const id = (await ok(['create', '--name', 'c1', 'busybox', 'sh', '-c', 'echo one; exit 4'])).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.equal(await state('c1'), 'created 0 false false');
  assert.equal(await ok(['ps', '-a', '--filter', 'status=created', '--format', '{{.Names}} {{.Status}}']), 'c1 Created\n');
  const first = await h.docker(['start', '-a', 'c1']);
  assert.equal(first.stdout, 'one\n');
  assert.equal(first.code, 4);
  // A second attached start shows only the new run's output, not the log of the first.
  const second = await h.docker(['start', '-a', 'c1']);
  assert.equal(second.stdout, 'one\n');
  assert.equal(second.code, 4);
  assert.equal(await ok(['logs', 'c1']), 'one\none\n');
  await ok(['rm', 'c1']);
});

test('stop -t sends SIGTERM, then SIGKILL after the grace period', async () => {
  await trapping('polite', 'TERM', 7);
  assert.equal(await ok(['stop', '-t', '10', 'polite']), 'polite\n');
  assert.equal(await state('polite'), 'exited 7 false false');
  await ok(['run', '-d', '--name', 'stubborn', 'busybox', 'sleep', '1000']);
  await ok(['stop', '-t', '1', 'stubborn']);
  // PID 1 ignores SIGTERM without a handler: only the SIGKILL ends it.
  assert.equal(await state('stubborn'), 'exited 137 false false');
  // Stopping a stopped container is not an error for the CLI (the API answers 304).
  await ok(['stop', 'stubborn']);
  await ok(['rm', 'polite', 'stubborn']);
});

test('restart runs the container again', async () => {
  await ok(['run', '-d', '--name', 'again', 'busybox', 'sh', '-c', 'echo started; sleep 1000']);
  await eventually(async () => (await ok(['logs', 'again'])) === 'started\n', 'the first run to log');
  const before = (await ok(['inspect', '--format', '{{.State.StartedAt}}', 'again'])).trim();
  assert.equal(await ok(['restart', '-t', '0', 'again']), 'again\n');
  assert.equal(await state('again'), 'running 0 true false');
  assert.notEqual((await ok(['inspect', '--format', '{{.State.StartedAt}}', 'again'])).trim(), before);
  await eventually(async () => (await ok(['logs', 'again'])) === 'started\nstarted\n', 'the second run to log');
  await ok(['rm', '-f', 'again']);
});

test('kill -s delivers the signal; plain kill is SIGKILL', async () => {
  await trapping('sig', 'USR1', 9);
  assert.equal(await ok(['kill', '-s', 'USR1', 'sig']), 'sig\n');
  assert.equal((await ok(['wait', 'sig'])).trim(), '9');
  assert.match(await ok(['logs', 'sig']), /got-USR1/);
  await ok(['run', '-d', '--name', 'victim', 'busybox', 'sleep', '1000']);
  await ok(['kill', 'victim']);
  assert.equal((await ok(['wait', 'victim'])).trim(), '137');
  const again = await h.docker(['kill', 'victim']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /is not running/);
  await ok(['rm', 'sig', 'victim']);
});

test('pause freezes and unpause resumes', async () => {
  await ok(['run', '-d', '--name', 'frozen', 'busybox', 'sleep', '1000']);
  assert.equal(await ok(['pause', 'frozen']), 'frozen\n');
  assert.equal(await state('frozen'), 'paused 0 true true');
  assert.match(await ok(['ps', '--filter', 'name=frozen', '--format', '{{.Status}}']), /^Up .* \(Paused\)\n$/);
  const twice = await h.docker(['pause', 'frozen']);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /already paused/);
  assert.equal(await ok(['unpause', 'frozen']), 'frozen\n');
  assert.equal(await state('frozen'), 'running 0 true false');
  await ok(['rm', '-f', 'frozen']);
});

test('rm refuses a running container; rm -f kills and removes it', async () => {
  const id = (await ok(['run', '-d', '--name', 'busy', 'busybox', 'sleep', '1000'])).trim();
  const refused = await h.docker(['rm', 'busy']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /Stop the container before attempting removal or force remove/);
  assert.equal(await ok(['rm', '-f', 'busy']), 'busy\n');
  const inspected = await h.docker(['container', 'inspect', id]);
  assert.equal(inspected.code, 1);
  assert.match(inspected.stderr, /No such container/);
  const gone = await h.docker(['rm', 'busy']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /No such container: busy/);
});

test('rm -v removes the container\'s anonymous volumes too', async () => {
  await ok(['run', '-d', '--name', 'anon', '-v', '/data', 'busybox', 'sleep', '1000']);
  const mounts = JSON.parse(await ok(['inspect', '-f', '{{json .Mounts}}', 'anon'])) as { Type: string; Name: string }[];
  assert.equal(mounts.length, 1);
  assert.equal(mounts[0]!.Type, 'volume');
  assert.equal((await h.docker(['volume', 'inspect', mounts[0]!.Name])).code, 0, 'the anonymous volume exists');
  await ok(['rm', '-f', '-v', 'anon']);
  const volume = await h.docker(['volume', 'inspect', mounts[0]!.Name]);
  assert.equal(volume.code, 1);
  assert.match(volume.stderr, /no such volume/i);
});

test('rename changes the name; a taken name is a conflict', async () => {
  await ok(['create', '--name', 'old', 'busybox', 'true']);
  await ok(['create', '--name', 'other', 'busybox', 'true']);
  await ok(['rename', 'old', 'new']);
  assert.equal((await ok(['inspect', '--format', '{{.Name}}', 'new'])).trim(), '/new');
  assert.equal((await h.docker(['inspect', 'old'])).code, 1);
  const taken = await h.docker(['rename', 'new', 'other']);
  assert.equal(taken.code, 1);
  assert.match(taken.stderr, /The container name "\/other" is already in use by container/);
  await ok(['rm', 'new', 'other']);
});

test('wait prints each exit code once the containers stop', async () => {
  await ok(['run', '-d', '--name', 'w1', 'busybox', 'sh', '-c', 'sleep 0.3; exit 6']);
  await ok(['run', '-d', '--name', 'w2', 'busybox', 'sh', '-c', 'exit 0']);
  assert.equal(await ok(['wait', 'w1', 'w2']), '6\n0\n');
  // Already stopped: answered at once with the recorded code.
  assert.equal(await ok(['wait', 'w1']), '6\n');
  const unknown = await h.docker(['wait', 'nope']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /No such container: nope/);
  await ok(['rm', 'w1', 'w2']);
});
