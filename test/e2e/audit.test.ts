/**
 * The Audit page in a real browser: an operator's and an admin's actions through the Docker
 * API proxy are listed, the user filter keeps only the operator's, a hostile name tried at
 * sign-in is shown as text, and the page is the admin's alone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.ts';
import { startWharf, type Wharf } from './support/server.ts';

const ADMIN_PASSWORD = 'audit e2e admin password';
const OPERATOR = { username: 'e2eauditop', password: 'audit e2e operator password' };
const HOSTILE = '<img src=x onerror="window.pwned=1">';

describe('audit', { timeout: 600_000 }, () => {
  let wharf: Wharf;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  /** A JSON request as an API client (no Origin header) makes it. */
  const call = async (method: string, path: string, cookie: string | undefined, body?: unknown) => {
    const res = await fetch(`${wharf.url}${path}`, {
      method,
      headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text(), cookie: res.headers.getSetCookie().find((c) => c.startsWith('wharf_session='))?.split(';')[0] };
  };
  const login = async (username: string, password: string) => {
    const r = await call('POST', '/api/auth/login', undefined, { username, password });
    assert.equal(r.status, 200, r.text);
    return r.cookie!;
  };

  before(async () => {
    wharf = await startWharf('audit', { WHARF_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const admin = await login('admin', ADMIN_PASSWORD);
    const made = await call('POST', '/api/users', admin, { ...OPERATOR, role: 'operator' });
    assert.equal(made.status, 201, made.text);
    const operator = await login(OPERATOR.username, OPERATOR.password);
    for (const [cookie, name] of [[operator, 'e2e-audit-op-vol'], [admin, 'e2e-audit-admin-vol']] as const) {
      const r = await call('POST', '/api/environments/local/docker/volumes/create', cookie, { Name: name });
      assert.equal(r.status, 201, r.text);
    }
    assert.equal((await call('POST', '/api/auth/login', undefined, { username: HOSTILE, password: 'not it' })).status, 401);
    browser = await launchBrowser();
    ({ page, errors: pageErrors } = await newPage(browser));
    await signIn(page, wharf.url, 'admin', ADMIN_PASSWORD);
  });

  after(async () => {
    await browser?.close();
    const left = await wharf?.stop();
    assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
  });

  it('lists actions and filters them by user', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.waitForURL(`${wharf.url}/audit`);
    const table = page.getByRole('table', { name: 'audit entries' });
    const opRow = table.getByRole('row').filter({ hasText: 'e2e-audit-op-vol' });
    const adminRow = table.getByRole('row').filter({ hasText: 'e2e-audit-admin-vol' });
    await opRow.waitFor({ timeout: 60_000 });
    await adminRow.waitFor();
    assert.match(await opRow.innerText(), /volume\.create/);
    assert.match(await opRow.innerText(), new RegExp(OPERATOR.username));
    // The name tried at sign-in is text, not markup.
    await table.getByRole('row').filter({ hasText: HOSTILE }).waitFor();
    assert.equal(await page.evaluate(() => (window as { pwned?: number }).pwned), undefined);

    await page.getByLabel('User').fill(OPERATOR.username);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await adminRow.waitFor({ state: 'detached', timeout: 60_000 });
    // The filtered page replaces the list: wait for it to show the operator's row again.
    await opRow.waitFor({ timeout: 60_000 });
    assert.equal(await opRow.count(), 1);
    assert.equal(await adminRow.count(), 0);
    const href = await page.getByRole('link', { name: 'Export JSON' }).getAttribute('href');
    assert.equal(href, `/api/audit/export?user=${OPERATOR.username}`);
    await screenshot(page, 'audit-filtered');
    assert.deepEqual(pageErrors, []);
  });

  it('is not offered to an operator', async () => {
    const other = await newPage(browser);
    await signIn(other.page, wharf.url, OPERATOR.username, OPERATOR.password);
    assert.equal(await other.page.getByRole('link', { name: 'Audit' }).count(), 0);
    await other.page.goto(`${wharf.url}/audit`);
    await other.page.getByText('Only administrators read the audit log.').waitFor();
    await other.page.close();
  });
});
