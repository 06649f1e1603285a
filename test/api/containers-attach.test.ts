import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { eventually } from '../helpers/engine.ts';
import { dockerTerminal } from '../helpers/docker-pty.ts';
import { demux } from '../helpers/stdcopy.ts';

let h: ApiHarness;
before(async () => { h = await startApiServer('ctr-attach'); });
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const ok = (args: string[], input?: string): Promise<string> => h.ok(args, input);

function post(path: string): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method: 'POST', path }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}


test('attach: output from the attach moment, stdin to the container, its exit code', async () => {
  await ok(['run', '-di', '--name', 'att', 'busybox', 'sh', '-c', 'echo before; read line; echo "got $line" >&2; exit 2']);
  await eventually(async () => (await ok(['logs', 'att'])) === 'before\n', 'the first line');
  const r = await h.docker(['attach', 'att'], { input: 'hi\n' });
  assert.equal(r.stdout, '', 'output written before the attach is not repeated');
  assert.equal(r.stderr, 'got hi\n');
  assert.equal(r.code, 2);
  const id = (await ok(['inspect', '--format', '{{.Id}}', 'att'])).trim();
  const events = (await ok(['events', '--since', '0', '--until', (Date.now() / 1000).toFixed(3), '--format', '{{json .}}'])).trim().split('\n')
    .map((l) => JSON.parse(l) as { Action: string; Actor: { ID: string; Attributes: Record<string, string> } });
  assert.ok(events.some((e) => e.Action === 'attach' && e.Actor.ID === id && e.Actor.Attributes.name === 'att'), 'an attach event');
  const stopped = await h.docker(['attach', 'att']);
  assert.equal(stopped.code, 1);
  assert.match(stopped.stderr, /You cannot attach to a stopped container/);
});

test('attach with logs=1 replays the log, framed per stream', async () => {
  const r = await post('/v1.47/containers/att/attach?logs=1&stream=0&stdout=1&stderr=1');
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/vnd.docker.multiplexed-stream');
  assert.deepEqual(demux(r.body), [{ stream: 1, text: 'before\n' }, { stream: 2, text: 'got hi\n' }]);
  const onlyErr = await post('/v1.47/containers/att/attach?logs=1&stream=0&stderr=1');
  assert.deepEqual(demux(onlyErr.body), [{ stream: 2, text: 'got hi\n' }]);
  assert.equal((await post('/v1.47/containers/att/attach?detachKeys=ctrl-zz')).status, 400);
  assert.equal((await post('/v1.47/containers/nope/attach')).status, 404);
  await ok(['rm', 'att']);
});

test('a TTY container: detach with ctrl-p ctrl-q, attach again, type, exit', async () => {
  const run = dockerTerminal(h, ['run', '-it', '--name', 'stay', 'busybox', 'sh']);
  try {
    await run.expect('/ # ');
    await run.type('echo first-$((1+1))\r', 'first-2');
    run.write('\x10\x11');
    await run.exited;
  } finally {
    run.kill();
  }
  assert.equal((await ok(['inspect', '-f', '{{.State.Running}}', 'stay'])).trim(), 'true', 'detaching leaves it running');
  const again = dockerTerminal(h, ['attach', 'stay']);
  try {
    await again.type('echo second-$((2+2))\r', 'second-4');
    assert.equal(await again.typeToExit('exit 4\r'), 4);
  } finally {
    again.kill();
  }
  assert.equal((await ok(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'stay'])).trim(), 'exited 4');
  await ok(['rm', 'stay']);
});
