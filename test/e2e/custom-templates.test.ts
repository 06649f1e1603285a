/**
 * Custom templates in a real browser against a real server: a running container saved as a
 * template from the templates page, shown under the Custom filter and deployed again; a
 * template typed in by hand (its title rendered as text), exported, and deleted; "Save as
 * template" on a container's page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot } from './support/browser.ts';
import { startWharf, type Wharf } from './support/server.ts';

const PASSWORD = 'a long enough password';
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

describe('custom templates in the dashboard', { timeout: 600_000 }, () => {
  let wharf: Wharf;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    wharf = await startWharf('ctplui', { WHARF_ADMIN_PASSWORD: PASSWORD });
    const source = await wharf.docker.createContainer({ name: 'ctpl-src', Image: 'busybox:latest', Cmd: ['sleep', '600'], Env: ['MODE=demo'], Labels: { team: 'blue' } });
    await source.start();
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
  });

  it('saves a running container as a template and deploys it again', async () => {
    await page.goto(`${wharf.url}/templates`);
    await page.getByLabel('Container to save as a template').selectOption('ctpl-src');
    await page.locator('[data-save-container]').click();
    await page.locator('[data-custom-template="ctpl-src"]').waitFor();
    await page.getByLabel('Source').selectOption('custom');
    await page.locator('[data-template="ctpl-src"]').waitFor();
    assert.equal(await page.locator('[data-template="Static web site"]').count(), 0, 'the Custom filter leaves the built-in templates out');
    await screenshot(page, 'custom-templates');
    await page.locator('[data-template="ctpl-src"]').click();
    const form = page.locator('[data-template-form="ctpl-src"]');
    assert.equal(await form.locator('input[name=name]').inputValue(), 'ctpl-src', 'the name comes from the container');
    await form.locator('input[name=name]').fill('ctpl-copy');
    await form.locator('[data-deploy]').click();
    await form.locator('[data-deployed=ctpl-copy]').waitFor({ timeout: 120_000 });
    const copy = await wharf.docker.getContainer('ctpl-copy').inspect();
    assert.equal(copy.State.Running, true);
    assert.ok(copy.Config.Env.includes('MODE=demo'), copy.Config.Env.join(' '));
    assert.equal(copy.Config.Labels.team, 'blue');
    assert.deepEqual(copy.Config.Cmd, ['sleep', '600']);
  });

  it('writes a template by hand, shows its title as text, exports it, and deletes it', async () => {
    await page.goto(`${wharf.url}/templates`);
    // A click before hydration (a busy machine) does nothing: click again until the editor opens.
    const editor = page.locator('textarea[name=template]');
    for (let i = 0; i < 20 && !(await editor.isVisible()); i++) {
      await page.locator('[data-new-template]').click();
      await editor.waitFor({ timeout: 3_000 }).catch(() => undefined);
    }
    await page.locator('textarea[name=template]').fill(JSON.stringify({ type: 1, title: HOSTILE, image: 'busybox:latest', ports: ['nope'] }));
    await page.locator('[data-save-template]').click();
    await page.locator('[data-custom-error]').getByText('ports.0: must be [host:]container[/tcp|udp], like 8080:80/tcp').waitFor();
    await page.locator('textarea[name=template]').fill(JSON.stringify({ type: 1, title: HOSTILE, image: 'busybox:latest', ports: ['80/tcp'] }));
    await page.locator('[data-save-template]').click();
    await page.locator('[data-template-editor]').waitFor({ state: 'detached' });
    const card = page.locator(`[data-template='${HOSTILE}']`);
    await card.waitFor();
    assert.ok((await card.textContent())?.includes(HOSTILE), 'the title is shown as text');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);

    const exported = await page.context().request.get(`${wharf.url}${await page.locator('[data-export-templates]').getAttribute('href')}`);
    assert.equal(exported.status(), 200);
    const file = await exported.json() as { version: string; templates: { title: string }[] };
    assert.equal(file.version, '3');
    assert.deepEqual(file.templates.map((t) => t.title), ['ctpl-src', HOSTILE]);

    await page.locator(`[data-custom-template='${HOSTILE}'] [data-delete-template]`).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.locator(`[data-custom-template='${HOSTILE}']`).waitFor({ state: 'detached' });
    await card.waitFor({ state: 'detached' });
  });

  it("saves a container as a template from the container's page", async () => {
    const { Id } = await wharf.docker.getContainer('ctpl-copy').inspect();
    await page.goto(`${wharf.url}/containers/${Id}`);
    await page.locator('[data-save-as-template]').click();
    await page.getByText('Saved as the template "ctpl-copy"').waitFor();
    await page.goto(`${wharf.url}/templates`);
    await page.locator('[data-custom-template="ctpl-copy"]').waitFor();
    await page.locator('[data-template="ctpl-copy"]').waitFor();
  });

  it('raised no error in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
