import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { demux } from '../helpers/stdcopy.ts';

let h: ApiHarness;
before(async () => { h = await startApiServer('ctr-logs'); });
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const ok = (args: string[], input?: string): Promise<string> => h.ok(args, input);

function get(path: string, method = 'GET'): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method, path }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}


test('logs keeps stdout and stderr apart (stdcopy) and a TTY container raw', async () => {
  await ok(['run', '--name', 'two', 'busybox', 'sh', '-c', 'echo out; echo err >&2']);
  const r = await h.docker(['logs', 'two']);
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.stderr, 'err\n');
  const raw = await get('/v1.47/containers/two/logs?stdout=1&stderr=1');
  assert.equal(raw.type, 'application/vnd.docker.multiplexed-stream');
  assert.deepEqual(demux(raw.body).sort((a, b) => a.stream - b.stream), [{ stream: 1, text: 'out\n' }, { stream: 2, text: 'err\n' }]);
  await ok(['run', '-t', '--name', 'tty', 'busybox', 'echo', 'x']);
  const tty = await get('/v1.47/containers/tty/logs?stdout=1');
  assert.equal(tty.type, 'application/vnd.docker.raw-stream');
  assert.equal(tty.body.toString(), 'x\r\n');
  assert.equal((await get('/v1.47/containers/two/logs')).status, 400, 'no stream chosen');
  await ok(['rm', 'two', 'tty']);
});

test('logs --tail, -t, --since and --until', async () => {
  await ok(['run', '--name', 'lines', 'busybox', 'sh', '-c', 'for i in 1 2 3 4 5; do echo l$i; sleep 0.05; done']);
  assert.equal(await ok(['logs', '--tail', '2', 'lines']), 'l4\nl5\n');
  assert.equal(await ok(['logs', '--tail', 'all', 'lines']), 'l1\nl2\nl3\nl4\nl5\n');
  const stamped = (await ok(['logs', '-t', 'lines'])).trim().split('\n');
  assert.equal(stamped.length, 5);
  for (const [i, line] of stamped.entries()) assert.match(line, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z l${i + 1}$`));
  const t3 = stamped[2]!.split(' ')[0]!;
  assert.equal(await ok(['logs', '--since', t3, 'lines']), 'l3\nl4\nl5\n');
  assert.equal(await ok(['logs', '--until', t3, 'lines']), 'l1\nl2\nl3\n');
  assert.equal(await ok(['logs', '--since', t3, '--until', t3, 'lines']), 'l3\n');
  await ok(['rm', 'lines']);
});

test('logs -f follows until the container exits, then returns', async () => {
  await ok(['run', '-d', '--name', 'ticker', 'busybox', 'sh', '-c', 'for i in 1 2 3; do echo tick $i; sleep 0.3; done']);
  const r = await h.docker(['logs', '-f', 'ticker'], { timeoutMs: 30_000 });
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'tick 1\ntick 2\ntick 3\n');
  assert.equal((await ok(['inspect', '-f', '{{.State.Status}}', 'ticker'])).trim(), 'exited');
  await ok(['rm', 'ticker']);
});
