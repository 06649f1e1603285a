import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HttpClient } from '../../runtime/index.ts';
import { parseTemplateFile, TemplateFormatError } from '../../server/templates/parse.ts';
import { TemplateCatalogue } from '../../server/templates/catalogue.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/templates/${name}`, import.meta.url));
const read = (name: string) => readFileSync(fixture(name), 'utf8');
const builtin = fileURLToPath(new URL('../../server/templates/builtin.json', import.meta.url));

test('a v2 file loads with every field, defaults applied and unknown fields dropped', () => {
  const [echo, stack] = parseTemplateFile(read('v2.json'));
  assert.equal(echo!.type, 1);
  assert.equal(echo!.title, 'Echo (v2)');
  assert.deepEqual(echo!.categories, ['network']);
  assert.equal(echo!.platform, 'linux');
  assert.equal(echo!.logo, 'https://logos.example.test/echo.png');
  assert.equal(echo!.command, 'nc -ll -p 7 -e cat');
  assert.deepEqual(echo!.ports, ['7/tcp', '8080:80/tcp']);
  assert.deepEqual(echo!.volumes, [{ container: '/data' }, { container: '/etc/app', bind: '/srv/app', readonly: true }]);
  assert.deepEqual(echo!.env[0]!.select, [{ text: 'Fast', value: 'fast' }, { text: 'Safe', value: 'safe', default: true }]);
  assert.equal(echo!.env[1]!.description, 'Secret token');
  assert.equal(echo!.env[2]!.preset, true);
  assert.deepEqual(echo!.labels, [{ name: 'team', value: 'net' }]);
  assert.equal(echo!.restart_policy, 'always', 'Portainer restarts template containers always unless told otherwise');
  assert.equal(echo!.hostname, 'echo');
  assert.equal(echo!.network, 'bridge');
  assert.equal(echo!.privileged, true);
  assert.equal(echo!.interactive, true);
  assert.equal(echo!.note, '<b>bold</b> is shown as text');
  assert.equal('maintainer' in echo!, false);
  assert.equal(stack!.type, 3);
  assert.deepEqual(stack!.repository, { url: 'https://git.example.test/stacks', stackfile: 'app/compose.yml' });
});

test('a v3 file loads with its types, restart policy and registry', () => {
  const [served, swarm] = parseTemplateFile(read('v3.json'));
  assert.equal(served!.name, 'served');
  assert.equal(served!.restart_policy, 'unless-stopped');
  assert.equal(served!.registry, 'registry.example.test');
  assert.equal(served!.privileged, false);
  assert.equal(swarm!.type, 2);
});

test('malformed files are refused with the problem named', () => {
  const cases: [string, RegExp][] = [
    [read('malformed.json'), /^templates\[1\]\.image: a container template \(type 1\) needs an image$/],
    ['{"version":"3","templates":[{"type":1,"title":"x","image":"a"}]}', /^templates\[0\]\.id: Required$/],
    ['{"version":"3","templates":[{"id":1.5,"type":1,"title":"x","image":"a"}]}', /^templates\[0\]\.id: must be an integer$/],
    ['{"version":"1","templates":[]}', /^version: version must be "2" or "3"$/],
    ['{"version":"2","templates":[{"type":4,"title":"x","image":"a"}]}', /^templates\[0\]\.type: must be 1/],
    ['{"version":"2","templates":[{"type":1,"title":"x","image":"a","ports":["eighty"]}]}', /^templates\[0\]\.ports\[0\]: must be \[host:\]container/],
    ['{"version":"2","templates":[{"type":3,"title":"x"}]}', /^templates\[0\]\.repository: a stack template/],
    ['{"version": "2", "templates": [', /^not JSON: /],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseTemplateFile(text), (err: unknown) => err instanceof TemplateFormatError && message.test(err.message), text);
  }
});

test('the built-in catalogue parses and has the offline busybox templates', () => {
  const templates = parseTemplateFile(readFileSync(builtin, 'utf8'));
  const offline = templates.filter((t) => t.image === 'busybox:latest').map((t) => t.title);
  assert.deepEqual(offline, ['Static web site', 'TCP echo service', 'Scheduled job']);
  for (const t of templates) assert.match(t.logo ?? '', /^\/templates\/[a-z-]+\.svg$/, `${t.title} has a logo served by Wharf`);
});

/** A template source on loopback whose `n`th request (from 1) `handler` answers, and a client for it. */
async function source(t: { after(fn: () => Promise<void>): void }, handler: (n: number, req: http.IncomingMessage, res: http.ServerResponse) => void) {
  let requests = 0;
  const server = http.createServer((req, res) => handler(++requests, req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = new HttpClient();
  t.after(async () => {
    await client.close();
    server.closeAllConnections();
    server.close();
  });
  return { client, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

test('the catalogue merges the built-in list with URL sources; a bad source is reported and the others stay listed', async (t) => {
  const files: Record<string, string> = { '/v2.json': read('v2.json'), '/v3.json': read('v3.json'), '/bad.json': read('malformed.json') };
  const { client, base } = await source(t, (_n, req, res) => {
    const body = files[req.url ?? ''];
    if (body === undefined) res.writeHead(404).end('no such file');
    else res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
  });
  const urls = ['/v2.json', '/bad.json', '/missing.json', '/v3.json'].map((p) => base + p);
  const list = await new TemplateCatalogue({ builtinPath: builtin, urls, http: client }).list();
  assert.equal(list.version, '3');
  const builtinCount = parseTemplateFile(readFileSync(builtin, 'utf8')).length;
  assert.equal(list.templates.length, builtinCount + 4);
  assert.deepEqual(list.templates.map((x) => x.id), list.templates.map((_, i) => i + 1), 'ids are unique across sources');
  assert.deepEqual(list.templates.slice(builtinCount).map((x) => [x.title, x.source]), [
    ['Echo (v2)', `${base}/v2.json`], ['Compose app (v2)', `${base}/v2.json`],
    ['Served page (v3)', `${base}/v3.json`], ['Swarm app (v3)', `${base}/v3.json`],
  ]);
  assert.deepEqual(list.errors, [
    { source: `${base}/bad.json`, message: 'templates[1].image: a container template (type 1) needs an image' },
    { source: `${base}/missing.json`, message: 'HTTP 404 Not Found' },
  ]);
});

test('a source larger than the limit is refused without reading it whole', async (t) => {
  const { client, base } = await source(t, (_n, _req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    // No Content-Length: the limit is enforced while streaming.
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 64 && res.write(chunk)) sent++;
      if (sent < 64) res.once('drain', pump);
      else res.end();
    };
    pump();
  });
  const url = `${base}/huge.json`;
  const list = await new TemplateCatalogue({ builtinPath: builtin, urls: [url], http: client }).list();
  assert.deepEqual(list.errors, [{ source: url, message: 'larger than 4194304 bytes' }]);
  assert.ok(list.templates.length > 0);
});

test('a source that failed is read again on the next listing, one that answered is kept', async (t) => {
  const { client, base, requests } = await source(t, (n, _req, res) => {
    if (n === 1) res.writeHead(500).end('not yet');
    else res.writeHead(200, { 'Content-Type': 'application/json' }).end(read('v2.json'));
  });
  const url = `${base}/v2.json`;
  const catalogue = new TemplateCatalogue({ builtinPath: builtin, urls: [url], http: client, maxAgeMs: 600_000, failedMaxAgeMs: 0 });
  assert.deepEqual((await catalogue.list()).errors, [{ source: url, message: 'HTTP 500 Internal Server Error' }]);
  await new Promise((resolve) => setImmediate(resolve));
  const second = await catalogue.list();
  assert.deepEqual(second.errors, []);
  assert.ok(second.templates.some((x) => x.title === 'Echo (v2)'));
  await catalogue.list();
  assert.equal(requests(), 2, 'the reading that succeeded is reused');
});

test('a request on a connection the source dropped is tried once more', async (t) => {
  const { client, base, requests } = await source(t, (n, req, res) => {
    // The first request meets what a kept-alive connection closed by the far side looks like.
    if (n === 1) req.socket.destroy();
    else res.writeHead(200, { 'Content-Type': 'application/json' }).end(read('v3.json'));
  });
  const url = `${base}/v3.json`;
  const list = await new TemplateCatalogue({ builtinPath: builtin, urls: [url], http: client }).list();
  assert.deepEqual(list.errors, []);
  assert.ok(list.templates.some((x) => x.title === 'Served page (v3)'));
  assert.equal(requests(), 2);
});
