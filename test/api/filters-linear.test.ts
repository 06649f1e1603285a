/**
 * Name filters are Go regular expressions, matched in linear time: a pattern that makes a
 * backtracking engine run for longer than the universe has existed is answered at once, and
 * the engine keeps answering everyone else meanwhile.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

let h: ApiHarness;
const victim = `${'a'.repeat(64)}b`;

before(async () => {
  h = await startApiServer('filters');
  await h.ok(['create', '--name', victim, 'busybox', 'true']);
});

after(async () => {
  const left = await h?.close();
  if (left) assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ socketPath: h.socket, path }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const filter = (name: string) => encodeURIComponent(JSON.stringify({ name: [name] }));

test('a catastrophic pattern is matched in linear time and /_ping is answered meanwhile', async () => {
  const list = get(`/v1.47/containers/json?all=1&filters=${filter('^/(a+)+$')}`);
  const ping = get('/_ping');
  const [l, p] = await Promise.all([list, ping]);
  assert.equal(p.status, 200);
  assert.equal(l.status, 200, l.body);
  assert.deepEqual(JSON.parse(l.body), [], 'the name ends in b: no match');
  const hit = await get(`/v1.47/containers/json?all=1&filters=${filter('^/(a+)+b$')}`);
  assert.equal((JSON.parse(hit.body) as { Names: string[] }[])[0]?.Names[0], `/${victim}`);
  const cli = await h.docker(['ps', '-a', '--filter', 'name=(a+)+$', '--format', '{{.Names}}']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(cli.stdout.trim(), '');
});

test('a pattern RE2 rejects is a 400 naming the filter, for containers, volumes and networks', async () => {
  for (const path of ['/v1.47/containers/json', '/v1.47/volumes', '/v1.47/networks']) {
    const r = await get(`${path}?filters=${filter('(?=x)')}`);
    assert.equal(r.status, 400, `${path}: ${r.body}`);
    assert.match(JSON.parse(r.body).message, /invalid filter 'name=\(\?=x\)'/);
  }
  const cli = await h.docker(['ps', '--filter', 'name=a(']);
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /invalid filter 'name=a\('/);
});
