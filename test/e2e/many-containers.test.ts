/**
 * The containers page with a thousand containers: the list is virtualised (only the rows in
 * view are in the DOM), scrolling reaches the last row, and the page keeps answering.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.ts';
import { pool, startWharf, type Wharf } from './support/server.ts';

const COUNT = 1000;
const PASSWORD = 'another long password';
const name = (i: number) => `many-${String(i).padStart(4, '0')}`;

describe('containers page with 1,000 containers', { timeout: 900_000 }, () => {
  let wharf: Wharf;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    // The first admin from the environment: no setup page in this file.
    wharf = await startWharf('many', { WHARF_ADMIN_PASSWORD: PASSWORD });
    const indexes = Array.from({ length: COUNT }, (_v, i) => i);
    // Created, never started: the page must cope with the count, not with running processes.
    await pool(indexes, 16, (i) => wharf.docker.createContainer({ name: name(i), Image: 'busybox:latest', Cmd: ['true'], Labels: { 'com.docker.compose.project': `stack-${i % 5}` } }));
    browser = await launchBrowser();
    ({ page, errors: pageErrors } = await newPage(browser));
    await signIn(page, wharf.url, 'admin', PASSWORD);
  });

  after(async () => {
    await browser?.close();
    await wharf?.stop();
  });

  it('renders far fewer rows than containers and scrolls to the last one', async () => {
    await page.goto(`${wharf.url}/containers`);
    const table = page.locator('[data-resource-table=containers]');
    await table.getByText(`${COUNT} containers`).waitFor({ timeout: 60_000 });
    const rows = table.locator('[data-row-id]');
    await rows.first().waitFor();
    const rendered = await rows.count();
    assert.ok(rendered > 0 && rendered < 100, `${rendered} rows in the DOM for ${COUNT} containers`);
    assert.equal(await table.locator('[role=table]').getAttribute('aria-rowcount'), String(COUNT + 1));
    await screenshot(page, 'containers-1000');

    // Scroll down in steps, as a reader would; the DOM stays small all the way.
    const scroller = table.locator('[data-table-scroll]');
    const { scrollHeight, clientHeight } = await scroller.evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
    assert.ok(scrollHeight > clientHeight * 10, `the list is as tall as ${COUNT} rows (${scrollHeight}px)`);
    let most = 0;
    for (let top = 0; top < scrollHeight; top += clientHeight * 3) {
      await scroller.evaluate((el, y) => { el.scrollTop = y; }, top);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      most = Math.max(most, await rows.count());
    }
    assert.ok(most < 100, `at most ${most} rows were in the DOM while scrolling`);
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await table.locator(`[data-container-link="${name(COUNT - 1)}"]`).waitFor();
    await screenshot(page, 'containers-1000-bottom');
  });

  it('still answers search, filters and grouping with 1,000 rows', async () => {
    const table = page.locator('[data-resource-table=containers]');
    await table.locator('[data-table-search]').fill(name(777));
    await table.getByText(`1 of ${COUNT} containers`).waitFor();
    await table.locator(`[data-container-link="${name(777)}"]`).waitFor();
    await table.locator('[data-table-search]').fill('');
    await table.getByLabel('Group by stack').check();
    // Each stack holds 200 containers: collapsing one brings the next heading into view.
    for (let s = 0; s < 5; s++) {
      const heading = table.locator(`[data-group="stack-${s}"]`);
      await heading.waitFor();
      assert.ok(await table.locator('[data-row-id]').count() < 100);
      await heading.locator('button[aria-expanded=true]').click();
    }
    await table.locator('[data-row-id]').first().waitFor({ state: 'detached' });
    await table.getByLabel('Group by stack').uncheck();
    await table.locator('[data-state-filter]').selectOption('running');
    await table.getByText('No container matches.').waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
