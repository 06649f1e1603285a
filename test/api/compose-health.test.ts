import { test, before, after } from 'node:test';
import { runCompose, type ComposeResult } from '../helpers/compose.ts';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { ensureDebianPackage } from '../helpers/dockerd.ts';

/** Debian's docker-compose 1.29: `depends_on: condition: service_healthy` waits for the health check. */

let h: ApiHarness;
let dir: string;
let missing: string | undefined;

before(async () => {
  missing = await ensureDebianPackage('docker-compose', 'docker-compose');
  h = await startApiServer('compose-health');
  dir = await mkdtemp(join(tmpdir(), 'wharf-compose-health-'));
  // db becomes ready a few probes after it starts; web may start only once db is healthy.
  await writeFile(join(dir, 'docker-compose.yml'), `version: "2.4"
services:
  db:
    image: busybox
    command: ["sh", "-c", "sleep 3; touch /tmp/ready; exec sleep 600"]
    healthcheck:
      test: ["CMD-SHELL", "test -e /tmp/ready"]
      interval: 1s
      timeout: 5s
      retries: 60
  web:
    image: busybox
    command: ["sleep", "600"]
    depends_on:
      db:
        condition: service_healthy
`);
});

after(async () => {
  if (dir) {
    await compose(['down', '-v', '--remove-orphans', '-t', '1']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function compose(args: string[]): Promise<ComposeResult> {
  return runCompose(h.socket, 'wharfhc', dir, args);
}

test('docker-compose up: a service_healthy dependency is healthy before its dependent starts', { timeout: 300_000 }, async (t) => {
  if (missing) {
    t.diagnostic(missing);
    assert.fail(`docker-compose is needed: ${missing}`);
  }
  const since = Math.floor(Date.now() / 1000) - 1;
  const up = await compose(['up', '-d']);
  assert.equal(up.code, 0, up.stderr);
  assert.equal((await h.ok(['inspect', '-f', '{{.State.Health.Status}}', 'wharfhc_db_1'])).trim(), 'healthy');
  assert.equal((await h.ok(['inspect', '-f', '{{.State.Status}}', 'wharfhc_web_1'])).trim(), 'running');

  // The engine's own record of the order: db started, turned healthy, and only then web was created and started.
  const until = Math.ceil(Date.now() / 1000) + 1;
  const events = (await h.ok(['events', '--since', String(since), '--until', String(until), '--filter', 'type=container', '--format', '{{.Action}} {{.Actor.Attributes.name}}']))
    .trim().split('\n').filter((e) => /^(create|start|health_status: \w+) wharfhc_/.test(e));
  const at = (e: string): number => {
    const i = events.indexOf(e);
    assert.ok(i >= 0, `${e} in\n${events.join('\n')}`);
    return i;
  };
  assert.ok(at('start wharfhc_db_1') < at('health_status: healthy wharfhc_db_1'));
  assert.ok(at('health_status: healthy wharfhc_db_1') < at('create wharfhc_web_1'), events.join('\n'));
  assert.ok(at('create wharfhc_web_1') < at('start wharfhc_web_1'));
  // inspect agrees: web started after db did, and db's health says it is passing.
  const dbStarted = (await h.ok(['inspect', '-f', '{{.State.StartedAt}}', 'wharfhc_db_1'])).trim();
  const webStarted = (await h.ok(['inspect', '-f', '{{.State.StartedAt}}', 'wharfhc_web_1'])).trim();
  assert.ok(Date.parse(dbStarted) < Date.parse(webStarted), `${dbStarted} < ${webStarted}`);

  const ps = await compose(['ps']);
  assert.match(ps.stdout, /wharfhc_db_1\s.*Up \(healthy\)/);
  const down = await compose(['down', '-t', '1']);
  assert.equal(down.code, 0, down.stderr);
});
