/**
 * Health checks in a real browser against a real server: the containers list shows the healthy
 * and unhealthy badges as the engine's probes decide them, and a container's page lists its last
 * probes with their exit code and output (shown as text, never as markup).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot } from './support/browser.ts';
import { dockerExec, startWharf, type Wharf } from './support/server.ts';

const PASSWORD = 'a long enough password';
const S = 1e9;

describe('health checks in the dashboard', { timeout: 600_000 }, () => {
  let wharf: Wharf;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  const ids: Record<string, string> = {};

  before(async () => {
    wharf = await startWharf('healthui', { WHARF_ADMIN_PASSWORD: PASSWORD });
    browser = await launchBrowser();
    ({ page, errors: pageErrors } = await newPage(browser));
    const login = await page.context().request.post(`${wharf.url}/api/auth/login`, { data: { username: 'admin', password: PASSWORD } });
    assert.equal(login.status(), 200, await login.text());
    // Each turns once the test says so (a file appears), so the change happens while the page watches.
    for (const [name, cmd, retries] of [
      ['hcui-good', 'test -e /tmp/ok && echo all good', 100_000],
      ['hcui-bad', 'test -e /tmp/broken || exit 0; echo "<b>broken</b>"; exit 4', 1],
    ] as const) {
      const c = await wharf.docker.createContainer({ name, Image: 'busybox', Cmd: ['sleep', '600'], Healthcheck: { Test: ['CMD-SHELL', cmd], Interval: S, Retries: retries } });
      await c.start();
      ids[name] = c.id;
    }
  });

  after(async () => {
    await browser?.close();
    for (const id of Object.values(ids)) await wharf?.docker.getContainer(id).remove({ force: true }).catch(() => undefined);
    await wharf?.stop();
  });

  it('the list shows healthy and unhealthy badges, and the page lists the last probes', async () => {
    await page.goto(`${wharf.url}/containers`);
    const row = (name: string) => page.locator(`[role=row][data-row-id="${ids[name]}"]`);
    await page.locator('[data-realtime=connected]').waitFor({ timeout: 60_000 });
    await row('hcui-good').getByText('starting', { exact: true }).waitFor({ timeout: 60_000 });
    await dockerExec(wharf.docker, ids['hcui-good']!, ['touch', '/tmp/ok']);
    await dockerExec(wharf.docker, ids['hcui-bad']!, ['touch', '/tmp/broken']);
    await row('hcui-good').getByText('healthy', { exact: true }).waitFor({ timeout: 120_000 });
    await row('hcui-bad').getByText('unhealthy', { exact: true }).waitFor({ timeout: 120_000 });
    await screenshot(page, 'health-list');

    await page.goto(`${wharf.url}/containers/${ids['hcui-bad']}`);
    await page.locator('[data-health=unhealthy]').waitFor({ timeout: 60_000 });
    const probes = page.locator('[data-health-probes]');
    await probes.locator('[data-probe-exit="4"]').first().waitFor();
    // The probe's output arrives as text: the tags are shown, not rendered.
    await probes.getByText('<b>broken</b>').first().waitFor();
    assert.equal(await probes.locator('b').count(), 0);
    await screenshot(page, 'health-probes');
    assert.deepEqual(pageErrors, []);
  });
});
