/**
 * GET /api/templates of the server composed as `npm start` composes it: the built-in catalogue
 * merged with a source given by WHARF_TEMPLATES_URL (served here on loopback), and remote logos
 * fetched by the server with a fallback, never by the browser.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startWharf, type Wharf } from '../helpers/wharf-server.ts';
import type { TemplateList } from '../../server/protocol/index.ts';

const PASSWORD = 'templates test password';
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>';
const v3 = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/templates/v3.json', import.meta.url)), 'utf8')) as { templates: { logo?: string }[] };

let wharf: Wharf;
let source: http.Server;
let base: string;
let cookie: string;
let logoRequests = 0;

before(async () => {
  source = http.createServer((req, res) => {
    if (req.url === '/templates.json') {
      v3.templates[0]!.logo = `${base}/logo.svg`;
      v3.templates[1]!.logo = `${base}/missing.png`;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(v3));
    } else if (req.url === '/v2.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(readFileSync(fileURLToPath(new URL('../fixtures/templates/v2.json', import.meta.url))));
    } else if (req.url === '/logo.svg') {
      logoRequests++;
      res.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end(LOGO);
    } else {
      res.writeHead(404).end();
    }
  });
  source.listen(0, '127.0.0.1');
  await once(source, 'listening');
  base = `http://127.0.0.1:${(source.address() as AddressInfo).port}`;
  wharf = await startWharf('templates', { WHARF_ADMIN_PASSWORD: PASSWORD, WHARF_TEMPLATES_URL: `${base}/templates.json` });
  const login = await fetch(`${wharf.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  assert.equal(login.status, 200);
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
});

after(async () => {
  await wharf?.stop();
  source?.close();
});

const get = (path: string) => fetch(`${wharf.url}${path}`, { headers: { cookie }, redirect: 'manual' });

test('GET /api/templates merges the built-in catalogue with the WHARF_TEMPLATES_URL source', async () => {
  const res = await get('/api/templates');
  assert.equal(res.status, 200);
  const list = await res.json() as TemplateList;
  assert.equal(list.version, '3');
  assert.deepEqual(list.errors, []);
  const titles = list.templates.map((t) => [t.title, t.source === 'built-in' ? 'built-in' : 'url']);
  assert.deepEqual(titles.filter(([, s]) => s === 'url').map(([t]) => t), ['Served page (v3)', 'Swarm app (v3)']);
  for (const offline of ['Static web site', 'TCP echo service', 'Scheduled job']) assert.ok(titles.some(([t, s]) => t === offline && s === 'built-in'), offline);
  assert.equal(new Set(list.templates.map((t) => t.id)).size, list.templates.length, 'ids are unique');
  const served = list.templates.find((t) => t.title === 'Served page (v3)')!;
  assert.equal(served.restart_policy, 'unless-stopped');
  assert.equal(list.templates.find((t) => t.title === 'Static web site')!.restart_policy, 'unless-stopped');
});

test('signed-out clients get no templates', async () => {
  const res = await fetch(`${wharf.url}/api/templates`);
  assert.equal(res.status, 401);
});

test('remote logos come through the server, once, with a fallback, and only for listed templates', async () => {
  const url = `${base}/logo.svg`;
  for (let i = 0; i < 2; i++) {
    const res = await get(`/api/templates/logo?url=${encodeURIComponent(url)}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    assert.match(res.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.equal(await res.text(), LOGO);
  }
  assert.equal(logoRequests, 1, 'the second answer came from the cache');

  const missing = await get(`/api/templates/logo?url=${encodeURIComponent(`${base}/missing.png`)}`);
  assert.equal(missing.status, 302);
  assert.equal(missing.headers.get('location'), '/templates/fallback.svg');
  const fallback = await get('/templates/fallback.svg');
  assert.equal(fallback.status, 200);
  assert.match(await fallback.text(), /<svg/);

  const unlisted = await get(`/api/templates/logo?url=${encodeURIComponent(`${base}/templates.json`)}`);
  assert.equal(unlisted.status, 404);
  const notHttp = await get(`/api/templates/logo?url=${encodeURIComponent('file:///etc/passwd')}`);
  assert.equal(notHttp.status, 400);
});

test('the administrator adds sources that are saved in the data root and merged; a bad URL is refused by field', async () => {
  const put = (body: unknown) => fetch(`${wharf.url}/api/templates/sources`, { method: 'PUT', headers: { cookie, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const bad = await put({ urls: ['ftp://example.test/t.json'] });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { message: string }).message, /^urls\.0: must be an http or https URL$/);

  const ok = await put({ urls: [`${base}/v2.json`] });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { urls: [`${base}/v2.json`], fromEnvironment: [`${base}/templates.json`] });
  assert.deepEqual(JSON.parse(readFileSync(`${wharf.root}/template-sources.json`, 'utf8')), { urls: [`${base}/v2.json`] });
  const list = await (await get('/api/templates')).json() as TemplateList;
  assert.deepEqual(list.templates.filter((t) => t.source !== 'built-in').map((t) => t.title), ['Served page (v3)', 'Swarm app (v3)', 'Echo (v2)', 'Compose app (v2)']);
  assert.equal((await put({ urls: [] })).status, 200);
});
