/**
 * The environment's security settings in a real browser: the admin relaxes a rule on the
 * Settings page, the relaxation shows there (also to an operator, who cannot change it), and the
 * operator's request that was refused goes through.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, signIn } from './support/browser.ts';
import { startWharf, type Wharf } from './support/server.ts';

const ADMIN_PASSWORD = 'security e2e admin password';
const OPERATOR = { username: 'e2esecop', password: 'security e2e operator password' };

describe('security settings', { timeout: 600_000 }, () => {
  let wharf: Wharf;
  let browser: Browser;
  let operator = '';

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
  const privileged = () => call('POST', '/api/environments/local/docker/containers/create?name=e2e-sec-priv', operator, { Image: 'busybox', Cmd: ['true'], HostConfig: { Privileged: true } });

  before(async () => {
    wharf = await startWharf('security', { WHARF_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const admin = await login('admin', ADMIN_PASSWORD);
    assert.equal((await call('POST', '/api/users', admin, { ...OPERATOR, role: 'operator' })).status, 201);
    operator = await login(OPERATOR.username, OPERATOR.password);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    const left = await wharf?.stop();
    assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
  });

  it('the admin relaxes privileged mode; the operator sees it and may use it', async () => {
    const refused = await privileged();
    assert.equal(refused.status, 403, refused.text);
    assert.equal(JSON.parse(refused.text).field, 'HostConfig.Privileged');

    const { page, errors } = await newPage(browser);
    await signIn(page, wharf.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${wharf.url}/settings`);
    const card = page.locator('section').filter({ hasText: 'Security of environment local' });
    await card.getByText('Nothing is relaxed.').waitFor({ timeout: 60_000 });
    await card.getByLabel('Privileged mode (containers and exec)').check();
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByText('Relaxed: 1.').waitFor({ timeout: 60_000 });
    await card.getByText('relaxed', { exact: true }).waitFor();
    assert.deepEqual(errors, []);

    const made = await privileged();
    assert.equal(made.status, 201, made.text);

    const op = await newPage(browser);
    await signIn(op.page, wharf.url, OPERATOR.username, OPERATOR.password);
    await op.page.goto(`${wharf.url}/settings`);
    const opCard = op.page.locator('section').filter({ hasText: 'Security of environment local' });
    await opCard.getByText('Relaxed: 1.').waitFor({ timeout: 60_000 });
    assert.equal(await opCard.getByLabel('Privileged mode (containers and exec)').isChecked(), true);
    assert.equal(await opCard.getByLabel('Privileged mode (containers and exec)').isDisabled(), true);
    assert.equal(await opCard.getByRole('button', { name: 'Save' }).count(), 0);
  });
});
