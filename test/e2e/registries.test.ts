/**
 * The Registries page in a real browser: a registry with credentials (docker-registry with
 * htpasswd) is added and tested, its password is never shown again nor stored in clear, and
 * the images page pulls a two-layer image from it with a progress bar per layer, and a template
 * naming an image of that registry deploys with the stored credentials.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.ts';
import { startWharf, type Wharf } from './support/server.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { runDocker, type CliOptions } from '../helpers/docker-cli.ts';

const ADMIN_PASSWORD = 'registries e2e admin password';
const USER = { name: 'e2e-user', password: 'registry-secret-9f3a' };

describe('registries', { timeout: 600_000 }, () => {
  let wharf: Wharf;
  let registry: TestRegistry;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let image = '';
  let templates: http.Server;

  const docker = async (args: string[], opts: CliOptions = {}) => {
    const r = await runDocker(wharf.socket, path.join(wharf.dir, 'docker-config'), args, { timeoutMs: 180_000, ...opts });
    assert.equal(r.code, 0, `docker ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    registry = await startRegistry({ user: USER });
    // A template source whose one template runs the private image.
    templates = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({
        version: '2',
        templates: [{ type: 1, title: 'Private app', description: 'From a registry with credentials', categories: ['e2e'], image: `${registry.host}/e2e/app:1`, command: 'sleep 600' }],
      }));
    });
    templates.listen(0, '127.0.0.1');
    await once(templates, 'listening');
    wharf = await startWharf('registries', { WHARF_ADMIN_PASSWORD: ADMIN_PASSWORD, WHARF_TEMPLATES_URL: `http://127.0.0.1:${(templates.address() as AddressInfo).port}/private.json` });
    // A two-layer image in the registry, then gone from Wharf and from the CLI's credentials.
    image = `${registry.host}/e2e/app:1`;
    await docker(['run', '--name', 'e2e-layer', 'busybox', 'sh', '-c', 'head -c 3000000 /dev/urandom > /payload']);
    await docker(['commit', 'e2e-layer', image]);
    await docker(['rm', 'e2e-layer']);
    await docker(['login', '-u', USER.name, '--password-stdin', registry.host], { input: USER.password });
    await docker(['push', image]);
    await docker(['logout', registry.host]);
    await docker(['rmi', image]);
    browser = await launchBrowser();
    ({ page, errors: pageErrors } = await newPage(browser));
    await signIn(page, wharf.url, 'admin', ADMIN_PASSWORD);
  });

  after(async () => {
    await browser?.close();
    await wharf?.stop();
    await registry?.stop();
    templates?.close();
  });

  it('adds a registry after testing its credentials, and never shows or stores the password in clear', async () => {
    await page.goto(`${wharf.url}/registries`);
    await page.getByRole('button', { name: 'Add registry' }).click();
    const dialog = page.locator('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Local registry');
    await dialog.getByLabel('Registry address').fill(registry.host);
    await dialog.getByLabel('Username', { exact: true }).fill(USER.name);
    await dialog.getByLabel('Password or access token').fill('not-the-password');
    await dialog.getByRole('button', { name: 'Test' }).click();
    await dialog.getByRole('status').filter({ hasText: /401 Unauthorized/ }).waitFor({ timeout: 60_000 });
    await dialog.getByLabel('Password or access token').fill(USER.password);
    await dialog.getByRole('button', { name: 'Test' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Login Succeeded' }).waitFor({ timeout: 60_000 });
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('Local registry', { exact: true }).waitFor();
    await page.getByText('stored', { exact: true }).waitFor();
    await screenshot(page, 'registries');

    const listed = await page.evaluate(() => fetch('/api/registries').then((r) => r.text()));
    assert.match(listed, /"hasPassword":true/);
    assert.ok(!listed.includes(USER.password), 'the API never returns the password');
    const root = path.join(wharf.dir, 'root');
    for (const f of (await readdir(root)).filter((n) => n.startsWith('dashboard.db'))) {
      assert.ok(!(await readFile(path.join(root, f))).includes(USER.password), `${f} holds no clear password`);
    }
    assert.ok(!wharf.output.some((l) => l.includes(USER.password)), 'the server never logs the password');
  });

  it('pulls from that registry on the images page with a progress bar per layer', async () => {
    await page.goto(`${wharf.url}/images`);
    await page.click('[data-pull-open]');
    const dialog = page.locator('dialog');
    await dialog.locator('input[name=reference]').fill(image);
    await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
    await dialog.locator('[data-pull-progress] [data-layer]').nth(1).waitFor({ timeout: 120_000 });
    await dialog.locator('[data-pull-progress]').getByText(/Downloaded newer image/).waitFor({ timeout: 120_000 });
    const bars = dialog.locator('[data-pull-progress] [role=progressbar]');
    assert.equal(await bars.count(), 2);
    for (let i = 0; i < 2; i++) assert.equal(await bars.nth(i).getAttribute('aria-valuenow'), '100');
    await screenshot(page, 'registries-pull');
    assert.equal((await wharf.docker.getImage(image).inspect()).RepoTags?.includes(image), true);
    assert.deepEqual(pageErrors, []);
  });

  it('deploys a template whose image is in that registry, pulling it with the stored credentials', async () => {
    await docker(['rmi', image]);
    await page.goto(`${wharf.url}/templates`);
    await page.locator('[data-template="Private app"]').click();
    const form = page.locator('[data-template-form="Private app"]');
    await form.locator('input[name=name]').fill('private-app');
    await form.locator('[data-deploy]').click();
    await form.locator('[data-deployed=private-app]').waitFor({ timeout: 120_000 });
    const info = await wharf.docker.getContainer('private-app').inspect();
    assert.equal(info.Config.Image, image);
    assert.equal(info.State.Running, true);
    assert.ok(!wharf.output.some((l) => l.includes(USER.password)), 'the server never logs the password');
    assert.deepEqual(pageErrors, []);
  });
});
