/**
 * The dashboard's pages as `npm start` serves them: Next in a thread of its own behind the
 * server, started by the first request for a page, while the engine and both APIs answer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingHttpHeaders } from 'node:http';
import { startWharf, type Wharf } from '../helpers/wharf-server.ts';
import { ping } from '../helpers/dockerd.ts';

let wharf: Wharf;

before(async () => {
  wharf = await startWharf('pages', { WHARF_ADMIN_PASSWORD: 'pages-test-password' });
});

after(async () => {
  const left = await wharf.stop();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function get(path: string, method = 'GET'): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http.request(`${wharf.url}${path}`, { method }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString() }));
    }).on('error', reject).end();
  });
}

async function pagesState(): Promise<string> {
  return (JSON.parse((await get('/api/health')).body) as { pages: string }).pages;
}

test('the first page starts the page thread; both APIs answer while it loads', async () => {
  assert.equal(await pagesState(), 'unloaded', 'nobody has asked for a page yet');
  // Two first requests at once share one start.
  let done = false;
  const pages = Promise.all([get('/login'), get('/login?again=1')]).finally(() => { done = true; });
  const seen = new Set<string>();
  let pings = 0;
  while (!done) {
    seen.add(await pagesState());
    if (await ping(wharf.socket)) pings++;
  }
  const [first, second] = await pages;
  assert.equal(first.status, 200, first.body.slice(0, 500));
  assert.equal(second.status, 200);
  assert.ok(seen.has('loading'), `the dashboard API answered while the pages loaded (saw ${[...seen].join(', ')})`);
  assert.ok(pings > 0, 'the Docker API answered while the pages loaded');
  assert.equal(await pagesState(), 'ready');

  // The server's security headers reach the page, and Next put this response's nonce on its scripts.
  assert.equal(first.headers['x-frame-options'], 'DENY');
  const nonce = /'nonce-([^']+)'/.exec(String(first.headers['content-security-policy']))?.[1];
  assert.ok(nonce, String(first.headers['content-security-policy']));
  assert.match(first.body, new RegExp(`<script[^>]* nonce="${nonce.replace(/[+/]/g, '\\$&')}"`));
});

test('assets, HEAD and unknown pages pass through with their own status and headers', async () => {
  const page = await get('/login');
  const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(page.body)?.[1];
  assert.ok(script, 'the page loads a script');
  const asset = await get(script);
  assert.equal(asset.status, 200);
  assert.match(String(asset.headers['content-type']), /javascript/);
  assert.match(String(asset.headers['cache-control']), /immutable/);
  assert.ok(asset.body.length > 0);
  const head = await get(script, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  const missing = await get('/_next/static/no-such-file.js');
  assert.equal(missing.status, 404);
});
