import { test, before, after } from 'node:test';
import { runCompose, type ComposeResult } from '../helpers/compose.ts';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { ensureDebianPackage } from '../helpers/dockerd.ts';
import { eventually } from '../helpers/engine.ts';
import { httpGet } from '../helpers/http-get.ts';
import { freeLoopbackPort as freePort } from '../helpers/registry.ts';

/** Debian's docker-compose 1.29 against Wharf's socket: a two-service stack talking by service name. */

let h: ApiHarness;
let dir: string;
let port: number;
let missing: string | undefined;

before(async () => {
  missing = await ensureDebianPackage('docker-compose', 'docker-compose');
  h = await startApiServer('compose');
  dir = await mkdtemp(join(tmpdir(), 'wharf-compose-'));
  port = await freePort();
  await writeFile(join(dir, 'docker-compose.yml'), `version: "2.4"
services:
  web:
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && echo page-from-web > /www/index.html && exec httpd -f -p 80 -h /www"]
    ports: ["${port}:80"]
  client:
    image: busybox
    depends_on: [web]
    command: ["sh", "-c", "while true; do wget -q -O- http://web/ && sleep 1 || sleep 1; done"]
`);
});

after(async () => {
  if (dir) {
    await compose(['down', '-v', '--remove-orphans']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] }, 'no netns, veth, bridge, rule or reservation is left');
});


function compose(args: string[]): Promise<ComposeResult> {
  return runCompose(h.socket, 'wharfnet', dir, args);
}

async function ok(args: string[]): Promise<string> {
  const r = await compose(args);
  assert.equal(r.code, 0, `docker-compose ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const get = async (url: string): Promise<string> => (await httpGet(url)).body;

test('docker-compose up, ps, logs, exec, scale and down', { timeout: 300_000 }, async (t) => {
  if (missing) {
    t.diagnostic(missing);
    assert.fail(`docker-compose is needed: ${missing}`);
  }
  await ok(['up', '-d']);
  const ps = await ok(['ps']);
  assert.match(ps, /wharfnet_web_1\s.*Up.*0\.0\.0\.0:\d+->80\/tcp/);
  assert.match(ps, /wharfnet_client_1\s.*Up/);
  // The client fetches the web service's page by its service name.
  await eventually(async () => /page-from-web/.test(await ok(['logs', 'client'])), 'client logs the page it fetched from web', 60_000);
  assert.equal(await eventually(() => get(`http://127.0.0.1:${port}/`).catch(() => undefined), 'the published port', 30_000), 'page-from-web\n');
  assert.match(await ok(['exec', '-T', 'web', 'cat', '/www/index.html']), /page-from-web/);
  await ok(['up', '-d', '--scale', 'client=2']);
  const scaled = await ok(['ps', '-q', 'client']);
  assert.equal(scaled.trim().split('\n').length, 2);
  await eventually(async () => /page-from-web/.test(await ok(['logs', '--no-color', '--tail', '5', 'client'])), 'both clients fetch', 60_000);
  await ok(['down']);
  assert.equal((await h.ok(['ps', '-aq'])).trim(), '', 'down removed every container');
  assert.doesNotMatch(await h.ok(['network', 'ls', '--format', '{{.Name}}']), /wharfnet/, 'and the network');
  await assert.rejects(get(`http://127.0.0.1:${port}/`), 'and the port');
});
