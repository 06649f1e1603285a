/**
 * App templates in a real browser against a real server: the offline static-site template
 * deployed from the templates page and its published port loaded in the browser; a template's
 * select field deployed with the chosen value inside the container; and an operator refused a
 * template with a bind mount (from a source given by WHARF_TEMPLATES_URL, served on loopback).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runDocker } from '../helpers/docker-cli.ts';
import { launchBrowser, newPage, screenshot } from './support/browser.ts';
import { startWharf, type Wharf } from './support/server.ts';

const PASSWORD = 'a long enough password';
const OPERATOR_PASSWORD = 'operator password';

describe('app templates in the dashboard', { timeout: 600_000 }, () => {
  let wharf: Wharf;
  let source: http.Server;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    // Read lazily: the bind mount's source is this run's own directory, known once the server is up.
    source = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({
        version: '2',
        templates: [
          { type: 1, title: 'Host files', description: 'Reads a host directory', categories: ['e2e'], image: 'busybox:latest', command: 'sleep 600', volumes: [{ container: '/host', bind: wharf.dir, readonly: true }] },
        ],
      }));
    });
    source.listen(0, '127.0.0.1');
    await once(source, 'listening');
    wharf = await startWharf('tmplui', { WHARF_ADMIN_PASSWORD: PASSWORD, WHARF_TEMPLATES_URL: `http://127.0.0.1:${(source.address() as AddressInfo).port}/e2e.json` });
    browser = await launchBrowser();
    ({ page, errors: pageErrors } = await newPage(browser));
    const login = await page.context().request.post(`${wharf.url}/api/auth/login`, { data: { username: 'admin', password: PASSWORD } });
    assert.equal(login.status(), 200, await login.text());
    await page.goto(wharf.url);
    await page.locator('[data-username]').waitFor();
  });

  after(async () => {
    await browser?.close();
    await wharf?.stop();
    source?.close();
  });

  it('deploys the offline static web site and serves its page on the published port', async () => {
    await page.goto(`${wharf.url}/templates`);
    await page.getByLabel('Search templates').fill('static');
    await page.locator('[data-template="Static web site"]').waitFor();
    assert.equal(await page.locator('[data-template="Scheduled job"]').count(), 0, 'the search filters the cards');
    // The logo is a file of our own server, loaded (not the fallback).
    const logo = page.locator('[data-template="Static web site"] img');
    assert.equal(await logo.getAttribute('src'), '/templates/static-site.svg');
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-template="Static web site"] img');
      return Boolean(img?.complete && img.naturalWidth > 0);
    });
    await page.locator('textarea[name=sources]').waitFor();
    await screenshot(page, 'templates');
    await page.locator('[data-template="Static web site"]').click();
    const form = page.locator('[data-template-form="Static web site"]');
    assert.equal(await form.locator('input[name=name]').inputValue(), 'static-site', 'the name comes from the template');
    await form.locator('input[name=name]').fill('tmpl-site');
    await form.getByLabel('Site title').fill('Hello from a template');
    await form.locator('[data-deploy]').click();
    await form.locator('[data-deployed=tmpl-site]').waitFor({ timeout: 120_000 });
    await screenshot(page, 'template-deployed');

    const info = await wharf.docker.getContainer('tmpl-site').inspect();
    assert.equal(info.State.Running, true);
    assert.equal(info.HostConfig.RestartPolicy?.Name, 'unless-stopped');
    assert.deepEqual(info.Mounts.map((m) => [m.Type, m.Destination]), [['volume', '/www']]);
    const hostPort = info.NetworkSettings.Ports['80/tcp']?.[0]?.HostPort;
    assert.ok(hostPort, 'port 80 is published');
    const link = form.locator(`a[data-port-link="${hostPort}"]`);
    const [web] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await web.waitForLoadState('domcontentloaded');
    await web.getByRole('heading', { name: 'Hello from a template' }).waitFor({ timeout: 30_000 });
    await web.close();
  });

  it('deploys a template with a select field, the chosen value set inside the container', async () => {
    await page.goto(`${wharf.url}/templates`);
    await page.getByLabel('Category').selectOption('offline');
    await page.locator('[data-template="Scheduled job"]').click();
    const form = page.locator('[data-template-form="Scheduled job"]');
    const interval = form.getByLabel('Interval');
    assert.equal(await interval.inputValue(), '60', 'the option marked default is preselected');
    await interval.selectOption({ label: 'Every 10 seconds' });
    await form.locator('input[name=name]').fill('tmpl-job');
    await form.locator('[data-deploy]').click();
    await form.locator('[data-deployed=tmpl-job]').waitFor({ timeout: 120_000 });
    const r = await runDocker(wharf.socket, join(wharf.dir, 'docker-config'), ['exec', 'tmpl-job', 'env'], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const vars = r.stdout.split('\n');
    assert.ok(vars.includes('JOB_INTERVAL=10'), r.stdout);
    assert.ok(vars.includes('JOB_MESSAGE=job ran'), r.stdout);
    assert.ok(vars.includes('JOB_KIND=interval'), 'a preset variable is set though not shown');
    assert.equal(await form.getByLabel('JOB_KIND').count(), 0);
  });

  it('refuses an operator a template with a bind mount', async () => {
    const add = await page.context().request.post(`${wharf.url}/api/users`, { data: { username: 'tmplops', password: OPERATOR_PASSWORD, role: 'operator' }, headers: { Origin: wharf.url } });
    assert.equal(add.status(), 201, await add.text());
    const { page: ops } = await newPage(browser);
    try {
      const login = await ops.context().request.post(`${wharf.url}/api/auth/login`, { data: { username: 'tmplops', password: OPERATOR_PASSWORD } });
      assert.equal(login.status(), 200, await login.text());
      await ops.goto(`${wharf.url}/templates`);
      await ops.locator('[data-template="Host files"]').waitFor();
      assert.equal(await ops.locator('textarea[name=sources]').count(), 0, 'only administrators edit the sources');
      await ops.locator('[data-template="Host files"]').click();
      const form = ops.locator('[data-template-form="Host files"]');
      await form.locator('input[name=name]').fill('tmpl-host');
      await form.locator('[data-deploy]').click();
      await form.getByText('operators cannot use bind mounts (HostConfig.Binds[0])').waitFor();
      await screenshot(ops, 'template-refused');
    } finally {
      await ops.context().close();
    }
    const left = await wharf.docker.listContainers({ all: true, filters: { name: ['tmpl-host'] } });
    assert.deepEqual(left, [], 'nothing was created');
  });

  it('raised no error in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
