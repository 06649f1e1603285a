/**
 * Custom templates against the server composed as `npm start` composes it: written by hand
 * or from a running container (inspected through the local environment's socket), listed in
 * the merged catalogue, edited, exported as a v3 file the template parser reads, deleted.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startWharf, type Wharf } from '../helpers/wharf-server.ts';
import { parseTemplateFile, parseV3File } from '../../server/templates/parse.ts';
import type { CustomTemplate, CustomTemplateFile, TemplateList } from '../../server/protocol/index.ts';

const PASSWORD = 'custom templates test password';
let wharf: Wharf;
let cookie: string;

before(async () => {
  wharf = await startWharf('customtpl', { WHARF_ADMIN_PASSWORD: PASSWORD });
  const login = await fetch(`${wharf.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  assert.equal(login.status, 200);
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
});

after(async () => {
  await wharf?.stop();
});

async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${wharf.url}${path}`, {
    method, headers: { cookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const storeFile = () => readFile(`${wharf.root}/custom-templates.json`, 'utf8').catch(() => '');

test('a bad template is refused naming the field, and nothing is written', async () => {
  const before = await storeFile();
  const noImage = await api<{ message: string }>('POST', '/api/templates/custom', { type: 1, title: 'No image' });
  assert.equal(noImage.status, 400);
  assert.match(noImage.body.message, /^image: /);
  const badPort = await api<{ message: string }>('POST', '/api/templates/custom', { type: 1, title: 'Bad port', image: 'busybox', ports: ['eighty'] });
  assert.equal(badPort.status, 400);
  assert.match(badPort.body.message, /^ports\.0: /);
  const noTitle = await api<{ message: string }>('POST', '/api/templates/custom', { type: 1, title: '', image: 'busybox' });
  assert.equal(noTitle.status, 400);
  assert.match(noTitle.body.message, /^title: /);
  assert.equal(await storeFile(), before, 'the store is unchanged');
  assert.equal((await api('PUT', '/api/templates/custom/1000000001', { type: 1, title: 'Nothing here', image: 'busybox' })).status, 404);
  assert.equal((await api('DELETE', '/api/templates/custom/abc')).status, 400);
});

test('custom templates: by hand, from a running container, listed, edited, exported as v3, deleted', async () => {
  const byHand = await api<CustomTemplate>('POST', '/api/templates/custom', {
    type: 1, title: 'Hand made', description: 'typed in', categories: ['mine'], image: 'busybox', command: 'sleep 600',
    env: [{ name: 'GREETING', default: 'hello' }], ports: ['8080/tcp'], restart_policy: 'unless-stopped',
  });
  assert.equal(byHand.status, 201);
  assert.equal(byHand.body.title, 'Hand made');
  assert.ok(Number.isInteger(byHand.body.id));

  const volume = `customtpl-data-${process.pid}`;
  const name = `customtpl-src-${process.pid}`;
  const container = await wharf.docker.createContainer({
    name, Image: 'busybox', Cmd: ['sleep', '600'], Env: ['MODE=demo', 'EMPTY='], Labels: { team: 'blue' }, Hostname: 'apphost',
    ExposedPorts: { '80/tcp': {} },
    HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '' }] }, Binds: [`${volume}:/data`, `${wharf.dir}:/host:ro`], RestartPolicy: { Name: 'on-failure' } },
  });
  await container.start();
  const fromContainer = await api<CustomTemplate>('POST', `/api/templates/custom/from-container/${name}`, { categories: ['saved'] });
  assert.equal(fromContainer.status, 201);
  const t = fromContainer.body;
  assert.equal(t.type, 1);
  assert.equal(t.title, name);
  assert.equal(t.name, name);
  assert.equal(t.image, 'busybox');
  assert.equal(t.command, 'sleep 600');
  assert.deepEqual(t.env, [{ name: 'MODE', default: 'demo' }, { name: 'EMPTY', default: '' }], "the container's own variables, not the image's PATH");
  assert.deepEqual(t.ports, ['80/tcp']);
  assert.deepEqual([...t.volumes].sort((a, b) => a.container.localeCompare(b.container)), [{ container: '/data' }, { container: '/host', bind: wharf.dir, readonly: true }]);
  assert.deepEqual(t.labels, [{ name: 'team', value: 'blue' }]);
  assert.equal(t.restart_policy, 'on-failure');
  assert.equal(t.hostname, 'apphost');
  assert.equal(t.privileged, false);
  assert.deepEqual(t.categories, ['saved']);
  assert.notEqual(t.id, byHand.body.id);
  assert.equal((await api('POST', '/api/templates/custom/from-container/no-such-container', {})).status, 404);

  const merged = (await api<TemplateList>('GET', '/api/templates')).body;
  const custom = merged.templates.filter((x) => x.source === 'custom');
  assert.deepEqual(custom.map((x) => [x.id, x.title]), [[byHand.body.id, 'Hand made'], [t.id, name]]);
  assert.ok(merged.templates.some((x) => x.source === 'built-in'));
  assert.equal(new Set(merged.templates.map((x) => x.id)).size, merged.templates.length, 'ids are unique in the merged list');

  const edited = await api<CustomTemplate>('PUT', `/api/templates/custom/${byHand.body.id}`, { ...byHand.body, id: 5, title: 'Hand made, edited', ports: ['9090:80/tcp'] });
  assert.equal(edited.status, 200);
  assert.equal(edited.body.id, byHand.body.id, 'the id in the body is ignored');
  const badEdit = await api<{ message: string }>('PUT', `/api/templates/custom/${byHand.body.id}`, { ...byHand.body, restart_policy: 'sometimes' });
  assert.equal(badEdit.status, 400);
  assert.match(badEdit.body.message, /^restart_policy: /);

  const exported = await fetch(`${wharf.url}/api/templates/custom/export`, { headers: { cookie } });
  assert.equal(exported.status, 200);
  assert.match(exported.headers.get('content-disposition') ?? '', /^attachment; filename=".+\.json"$/);
  const text = await exported.text();
  const file = JSON.parse(text) as CustomTemplateFile;
  assert.equal(file.version, '3');
  assert.deepEqual(parseV3File(text).map((x) => [x.id, x.title, x.ports]), [[byHand.body.id, 'Hand made, edited', ['9090:80/tcp']], [t.id, name, ['80/tcp']]]);
  assert.equal(parseTemplateFile(text).length, 2, 'the export reads as any v3 source does');
  assert.deepEqual((await api<CustomTemplateFile>('GET', '/api/templates/custom')).body, file);

  assert.equal((await api('DELETE', `/api/templates/custom/${byHand.body.id}`)).status, 204);
  assert.equal((await api('DELETE', `/api/templates/custom/${byHand.body.id}`)).status, 404);
  const after = (await api<TemplateList>('GET', '/api/templates')).body;
  assert.deepEqual(after.templates.filter((x) => x.source === 'custom').map((x) => x.title), [name]);
  assert.deepEqual(parseV3File(await storeFile()).map((x) => x.id), [t.id], 'the store on disk has what the API says');
});

test('signed-out clients cannot list or write custom templates', async () => {
  assert.equal((await fetch(`${wharf.url}/api/templates/custom`)).status, 401);
  assert.equal((await fetch(`${wharf.url}/api/templates/custom`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: wharf.url }, body: '{}' })).status, 401);
});

test('operators list and export custom templates but cannot write them', async () => {
  const add = await api('POST', '/api/users', { username: 'ctplops', password: 'operator password', role: 'operator' });
  assert.equal(add.status, 201);
  const login = await fetch(`${wharf.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'ctplops', password: 'operator password' }) });
  assert.equal(login.status, 200);
  const ops = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const before = await storeFile();
  assert.equal((await fetch(`${wharf.url}/api/templates/custom`, { headers: { cookie: ops } })).status, 200);
  assert.equal((await fetch(`${wharf.url}/api/templates/custom/export`, { headers: { cookie: ops } })).status, 200);
  const write = await fetch(`${wharf.url}/api/templates/custom`, { method: 'POST', headers: { cookie: ops, 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 1, title: 'Ops', image: 'busybox' }) });
  assert.equal(write.status, 403);
  assert.equal(await storeFile(), before, 'nothing was written');
});
