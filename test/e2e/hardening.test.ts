/**
 * The browser-facing hardening: the dashboard refuses to be framed by another origin (another
 * port of the same host is another origin), runs only scripts it wrote itself, and every
 * answer carries the anti-sniffing and referrer headers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, signIn } from './support/browser.ts';
import { startWharf, type Wharf } from './support/server.ts';

const PASSWORD = 'hardening test password';

function get(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}

describe('HTTP hardening', { timeout: 300_000 }, () => {
  let wharf: Wharf;
  let browser: Browser;
  let framer: http.Server;

  before(async () => {
    wharf = await startWharf('hardening', { WHARF_ADMIN_PASSWORD: PASSWORD });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    if (framer) await new Promise((r) => framer.close(r));
    await wharf?.stop();
  });

  it('pages and API answers carry the security headers, and every inline script carries the nonce', async () => {
    const page = await get(`${wharf.url}/login`);
    assert.equal(page.status, 200);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['referrer-policy'], 'same-origin');
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce, csp);
    const inline = [...page.body.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
    assert.ok(inline.length > 0, 'Next writes inline scripts');
    for (const attrs of inline) assert.match(attrs, new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`), attrs);
    // A fresh nonce for every answer: one seen once is no key for later.
    assert.notEqual(/'nonce-([^']+)'/.exec(String((await get(`${wharf.url}/login`)).headers['content-security-policy']))?.[1], nonce);

    const api = await get(`${wharf.url}/api/health`);
    assert.equal(api.headers['x-frame-options'], 'DENY');
    assert.equal(api.headers['x-content-type-options'], 'nosniff');
    assert.match(String(api.headers['content-security-policy']), /default-src 'none'/);
  });

  it('the signed-in dashboard works under its policy and cannot be framed from another port', async () => {
    const { page, errors } = await newPage(browser);
    const violations: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    await signIn(page, wharf.url, 'admin', PASSWORD);
    await page.goto(`${wharf.url}/containers`);
    await page.locator('[data-realtime=connected]').waitFor();
    assert.deepEqual(violations, []);
    assert.deepEqual(errors, []);

    framer = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><iframe id="f" src="${wharf.url}/containers" width="800" height="600"></iframe>`);
    });
    await new Promise<void>((r) => framer.listen(0, '127.0.0.1', r));
    const framerUrl = `http://127.0.0.1:${(framer.address() as AddressInfo).port}/`;
    const blocked = new Promise<string>((resolve) => page.on('console', (m) => { if (/frame-ancestors|X-Frame-Options|Refused to display/i.test(m.text())) resolve(m.text()); }));
    await page.goto(framerUrl);
    const message = await blocked;
    assert.match(message, /frame-ancestors|X-Frame-Options|Refused/);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    // The refused frame shows the browser's error page, never the dashboard's document.
    const framedTitle = await frame?.evaluate(() => document.querySelector('h1,h2')?.textContent ?? '').catch(() => '');
    assert.doesNotMatch(framedTitle ?? '', /Containers/);
    await page.context().close();
  });

  it('a sign-in typed before the page script runs never puts the password in the URL', async () => {
    // Without script, as in the moments before hydration on a slow machine.
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(`${r.method()} ${r.url()}`));
    await page.goto(`${wharf.url}/login`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'typed-too-early-secret');
    await page.press('input[name=password]', 'Enter');
    await page.locator('form[data-form=login] button[type=submit]').click({ force: true, timeout: 2000 }).catch(() => undefined);
    await page.waitForTimeout(500);
    assert.ok(requested.every((r) => !r.includes('typed-too-early-secret')), requested.join('\n'));
    assert.doesNotMatch(page.url(), /password/);
    await context.close();
  });
});
