/**
 * Compose stacks through the dashboard API of the server composed as `npm start` composes it,
 * checked with Debian's docker-compose 1.29 against the same socket: a stack Wharf deploys is
 * one compose sees, and a stack compose brings up is one Wharf lists, stops and removes.
 */
import { test, before, after } from 'node:test';
import { runCompose, type ComposeResult } from '../helpers/compose.ts';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startWharf, type Wharf } from '../helpers/wharf-server.ts';
import { ensureDebianPackage } from '../helpers/dockerd.ts';
import { eventually, uniqueSubnet } from '../helpers/engine.ts';
import type { StackDetail, StackPlan, StackProgress, StackSummary } from '../../server/protocol/index.ts';

const PASSWORD = 'stacks test password';
let wharf: Wharf;
let cookie: string;
let composeDir: string;
let missing: string | undefined;

before(async () => {
  missing = await ensureDebianPackage('docker-compose', 'docker-compose');
  wharf = await startWharf('stacks', { WHARF_ADMIN_PASSWORD: PASSWORD });
  composeDir = await mkdtemp(path.join(tmpdir(), 'wharf-stacks-compose-'));
  const login = await fetch(`${wharf.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  assert.equal(login.status, 200);
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
});

after(async () => {
  if (composeDir) await rm(composeDir, { recursive: true, force: true });
  const left = await wharf?.stop();
  if (left) assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] }, 'the server leaves nothing behind');
});

const api = (method: string, p: string, body?: unknown) => fetch(`${wharf.url}${p}`, {
  method, headers: { cookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
});

async function progress(res: Response): Promise<StackProgress[]> {
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l) as StackProgress);
}

function compose(project: string, args: string[], cwd: string): Promise<ComposeResult> {
  return runCompose(wharf.socket, project, cwd, args);
}

const twoServices = (subnet: string, word: string) => `services:
  back:
    image: busybox
    command: ["sh", "-c", "echo back says \${WORD}; mkdir -p /www && echo \${WORD} > /www/index.html && exec httpd -f -p 80 -h /www"]
  front:
    image: busybox
    depends_on: { back: { condition: service_started } }
    command: ["sh", "-c", "echo front up; while true; do wget -q -O- http://back/ || true; sleep 1; done"]
    labels: { word: "${word}" }
networks:
  default:
    ipam: { config: [{ subnet: ${subnet} }] }
`;

test('a bad compose file is refused with its problems at their lines, and nothing is written', async () => {
  const res = await api('POST', '/api/stacks', { name: 'broken', compose: 'services:\n  web:\n    image: busybox\n    restrat: always\n', env: '' });
  assert.equal(res.status, 400);
  const body = await res.json() as { problems: Array<{ line: number; path: string }> };
  assert.deepEqual(body.problems.map((p) => [p.line, p.path]), [[4, 'services.web.restrat']]);
  const list = await (await api('GET', '/api/stacks')).json() as StackSummary[];
  assert.ok(!list.some((s) => s.name === 'broken'));
  const bad = await api('POST', '/api/stacks', { name: '../escape', compose: 'services: {}\n' });
  assert.equal(bad.status, 400);
});

test('a stack deployed by Wharf: the plan, up, docker-compose ps and logs, an edit recreating one service, down', async (t) => {
  if (missing) return t.skip(missing);
  const name = `wst${process.pid}`;
  const subnet = uniqueSubnet();
  const created = await api('POST', '/api/stacks', { name, compose: twoServices(subnet, 'one'), env: 'WORD=hello-from-env\n' });
  assert.equal(created.status, 201, await created.text());
  assert.match(await readFile(path.join(wharf.root, 'stacks', name, 'compose.yaml'), 'utf8'), /services:/);
  assert.equal(await readFile(path.join(wharf.root, 'stacks', name, '.env'), 'utf8'), 'WORD=hello-from-env\n');

  const plan = await (await api('GET', `/api/stacks/${name}/plan`)).json() as StackPlan;
  assert.deepEqual(plan.containers.map((s) => [s.action, s.container]), [['create', `${name}-back-1`], ['create', `${name}-front-1`]]);
  assert.deepEqual(plan.networks, [{ name: `${name}_default`, action: 'create' }]);
  const up = await progress(await api('POST', `/api/stacks/${name}/up`, { plan: plan.digest }));
  assert.deepEqual(up.filter((p) => p.kind === 'start').map((p) => p.target), [`${name}-back-1`, `${name}-front-1`], 'back starts before front');
  assert.equal(up.at(-1)!.kind, 'done');

  // docker-compose run in the stack's folder, the files Wharf keeps (editable outside Wharf).
  const stackDir = path.join(wharf.root, 'stacks', name);
  const ps = await compose(name, ['ps'], stackDir);
  assert.equal(ps.code, 0, ps.stderr);
  assert.match(ps.stdout, new RegExp(`${name}-back-1\\s.*Up`));
  assert.match(ps.stdout, new RegExp(`${name}-front-1\\s.*Up`));
  await eventually(async () => {
    const logs = await compose(name, ['logs', '--no-color'], stackDir);
    assert.equal(logs.code, 0, logs.stderr);
    return /back says hello-from-env/.test(logs.stdout) && /front up/.test(logs.stdout);
  }, 'docker-compose logs shows both services', 60_000);
  const merged = await (await api('GET', `/api/stacks/${name}/logs?service=back`)).json() as { lines: Array<{ service: string; text: string }> };
  assert.ok(merged.lines.some((l) => l.text === 'back says hello-from-env'));
  assert.ok(merged.lines.every((l) => l.service === 'back'));

  const before = await wharf.docker.getContainer(`${name}-back-1`).inspect();
  const edited = await api('PUT', `/api/stacks/${name}/files`, { compose: twoServices(subnet, 'two'), env: 'WORD=hello-from-env\n' });
  assert.equal(edited.status, 204, await edited.text());
  const second = await (await api('GET', `/api/stacks/${name}/plan`)).json() as StackPlan;
  assert.deepEqual(second.containers.map((s) => [s.action, s.service, s.changes]), [['keep', 'back', undefined], ['recreate', 'front', ['labels']]]);
  const stale = await api('POST', `/api/stacks/${name}/up`, { plan: plan.digest });
  assert.equal(stale.status, 409, 'a plan from before the edit is refused');
  await progress(await api('POST', `/api/stacks/${name}/up`, { plan: second.digest }));
  assert.equal((await wharf.docker.getContainer(`${name}-back-1`).inspect()).Id, before.Id, 'back was left alone');
  assert.equal((await wharf.docker.getContainer(`${name}-front-1`).inspect()).Config.Labels.word, 'two');

  const down = await progress(await api('POST', `/api/stacks/${name}/down`, {}));
  assert.equal(down.at(-1)!.kind, 'done');
  assert.deepEqual(await wharf.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${name}`] } }), []);
  assert.ok(!(await wharf.docker.listNetworks()).some((n) => n.Name.startsWith(`${name}_`)));
  assert.equal((await api('DELETE', `/api/stacks/${name}`)).status, 204);
});

test('a stack brought up by docker-compose is listed as external, stopped and removed through the dashboard', async (t) => {
  if (missing) return t.skip(missing);
  const name = `ext${process.pid}`;
  await writeFile(path.join(composeDir, 'docker-compose.yml'), `version: "2.4"\n${twoServices(uniqueSubnet(), 'ext').replace(/\$\{WORD\}/g, 'x')}`);
  const up = await compose(name, ['up', '-d'], composeDir);
  assert.equal(up.code, 0, up.stderr);
  const list = await (await api('GET', '/api/stacks')).json() as StackSummary[];
  assert.deepEqual(list.find((s) => s.name === name), { name, managed: false, external: true, services: ['back', 'front'], running: 2, containers: 2 });
  const detail = await (await api('GET', `/api/stacks/${name}`)).json() as StackDetail;
  assert.equal(detail.containerList.length, 2);
  assert.equal((await api('POST', `/api/stacks/${name}/stop`)).status, 204);
  const stopped = (await (await api('GET', '/api/stacks')).json() as StackSummary[]).find((s) => s.name === name);
  assert.equal(stopped?.running, 0);
  assert.equal((await api('DELETE', `/api/stacks/${name}`)).status, 204);
  assert.ok(!(await (await api('GET', '/api/stacks')).json() as StackSummary[]).some((s) => s.name === name));
  assert.ok(!(await wharf.docker.listNetworks()).some((n) => n.Name.startsWith(`${name}_`)), 'compose\'s network is gone too');
  const ps = await compose(name, ['ps', '-q'], composeDir);
  assert.equal(ps.stdout.trim(), '');
});

test('a service with build: is built from the stack folder through the engine, then run', async () => {
  const name = `bld${process.pid}`;
  const compose = `services:\n  app:\n    build: { context: ./app, args: { WORD: built-here } }\n    command: ["cat", "/word"]\n`;
  const created = await api('POST', '/api/stacks', { name, compose: 'services:\n  app:\n    image: busybox\n', env: '' });
  assert.equal(created.status, 201, await created.text());
  // The folder is the source of truth: files put there beside compose.yaml are the build context.
  const dir = path.join(wharf.root, 'stacks', name, 'app');
  await mkdir(dir);
  await writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox\nARG WORD\nRUN echo "$WORD" > /word\n');
  assert.equal((await api('PUT', `/api/stacks/${name}/files`, { compose, env: '' })).status, 204);
  const plan = await (await api('GET', `/api/stacks/${name}/plan`)).json() as StackPlan;
  assert.deepEqual(plan.images, [{ image: `${name}-app`, action: 'build' }]);
  const up = await progress(await api('POST', `/api/stacks/${name}/up`, { plan: plan.digest }));
  assert.ok(up.some((p) => p.kind === 'build'));
  assert.equal(up.at(-1)!.kind, 'done', JSON.stringify(up.at(-1)));
  await eventually(async () => {
    const { lines } = await (await api('GET', `/api/stacks/${name}/logs`)).json() as { lines: Array<{ text: string }> };
    return lines.some((l) => l.text === 'built-here');
  }, 'the built image runs', 60_000);
  assert.equal((await api('DELETE', `/api/stacks/${name}`)).status, 204);
  await wharf.docker.getImage(`${name}-app`).remove();
});

test('an operator: a stack with a bind mount, privileged mode or a host network is refused by the role policy; the same stack is the admin\'s to run', async () => {
  const users = await api('POST', '/api/users', { username: 'stackop', password: 'operator password', role: 'operator' });
  assert.equal(users.status, 201, await users.clone().text());
  const login = await fetch(`${wharf.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'stackop', password: 'operator password' }) });
  assert.equal(login.status, 200);
  const opCookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const asOperator = (method: string, p: string, body?: unknown) => fetch(`${wharf.url}${p}`, {
    method, headers: { cookie: opCookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const cases: Array<[string, string, string]> = [
    ['opbind', 'services:\n  web:\n    image: busybox\n    volumes:\n      - /etc:/host-etc:ro\n', 'HostConfig.Mounts[0]'],
    ['oppriv', 'services:\n  web:\n    image: busybox\n    privileged: true\n', 'HostConfig.Privileged'],
    ['ophost', 'services:\n  web:\n    image: busybox\n    network_mode: host\n', 'HostConfig.NetworkMode'],
  ];
  for (const [name, composeText, field] of cases) {
    assert.equal((await asOperator('POST', '/api/stacks', { name, compose: composeText, env: '' })).status, 201, name);
    for (const [method, p] of [['GET', `/api/stacks/${name}/plan`], ['POST', `/api/stacks/${name}/up`]] as const) {
      const r = await asOperator(method, p, method === 'POST' ? {} : undefined);
      assert.equal(r.status, 403, `${name} ${p}: ${await r.clone().text()}`);
      const body = await r.json() as { message: string; field?: string };
      assert.equal(body.field, field, name);
      assert.match(body.message, /^services\.web: operators cannot use /);
    }
    // Nothing was created for the refused stack.
    assert.deepEqual((await wharf.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${name}`] } })).length, 0);
  }
  // The administrator may plan the very same file.
  assert.equal((await api('GET', '/api/stacks/opbind/plan')).status, 200);
  for (const [name] of cases) assert.equal((await api('DELETE', `/api/stacks/${name}`)).status, 204);
});
