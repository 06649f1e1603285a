/**
 * Compose stacks in a real browser against a real server: a two-service stack (a busybox
 * httpd front serving what it fetches from its backend by service name, the backend with a
 * health check the front waits for) deployed from the editor through its plan; an edit of
 * one service planned and applied as a recreate of that service only; down leaving no
 * container or network.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { httpGet } from '../helpers/http-get.ts';
import { eventually, uniqueSubnet } from '../helpers/engine.ts';
import { freeLoopbackPort } from '../helpers/registry.ts';
import { launchBrowser, newPage, screenshot } from './support/browser.ts';
import { startWharf, type Wharf } from './support/server.ts';

const PASSWORD = 'a long enough password';

const composeFile = (subnet: string, greeting: string) => `services:
  back:
    image: busybox:latest
    command: ["sh", "-c", "mkdir -p /srv && echo \\"$\${MESSAGE}\\" > /srv/index.html && exec httpd -f -p 8080 -h /srv"]
    environment:
      MESSAGE: \${MESSAGE}
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
      interval: 1s
      retries: 30
  front:
    image: busybox:latest
    depends_on:
      back: { condition: service_healthy }
    environment:
      GREETING: ${greeting}
    command: ["sh", "-c", "mkdir -p /www; (while true; do wget -q -O /www/b http://back:8080/ && { echo \\"$$GREETING\\"; cat /www/b; } > /www/index.html; sleep 1; done) & exec httpd -f -p 80 -h /www"]
    ports: ["\${PORT}:80"]
networks:
  default:
    ipam: { config: [{ subnet: ${subnet} }] }
`;

describe('compose stacks in the dashboard', { timeout: 900_000 }, () => {
  let wharf: Wharf;
  let browser: Browser;
  let page: Page;
  let port: number;
  const name = `e2estack${process.pid}`;
  const subnet = uniqueSubnet();

  before(async () => {
    wharf = await startWharf('stackui', { WHARF_ADMIN_PASSWORD: PASSWORD });
    port = await freeLoopbackPort();
    browser = await launchBrowser();
    ({ page } = await newPage(browser));
    const login = await page.context().request.post(`${wharf.url}/api/auth/login`, { data: { username: 'admin', password: PASSWORD } });
    assert.equal(login.status(), 200, await login.text());
  });

  after(async () => {
    await browser?.close();
    const left = await wharf?.stop();
    if (left) assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
  });

  const frontPage = () => eventually(async () => {
    const r = await httpGet(`http://127.0.0.1:${port}/`).catch(() => undefined);
    return r && r.status === 200 && r.body.includes('from the back') ? r.body : undefined;
  }, 'the front serving what the back answers', 120_000);

  it('deploys a two-service stack from the editor after showing its plan', async () => {
    await page.goto(`${wharf.url}/stacks`);
    await page.locator('[data-new-stack]').click();
    await page.locator('input[name=stack-name]').fill(name);
    // An error first: shown at its line.
    await page.locator('textarea[name=compose]').fill('services:\n  front:\n    image: busybox\n    restrat: always\n');
    await page.locator('[data-save-plan]').click();
    await page.locator('[data-problems=compose]').waitFor();
    assert.equal(await page.locator('[data-problem-line="4"]').count(), 1, 'the gutter marks line 4');

    await page.locator('textarea[name=compose]').fill(composeFile(subnet, 'one'));
    await page.locator('textarea[name=env]').fill(`MESSAGE=hello from the back\nPORT=${port}\n`);
    await page.locator('[data-save-plan]').click();
    await page.locator('[data-plan]').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator(`[data-plan-row="${name}-back-1"]`).getAttribute('data-action'), 'create');
    assert.equal(await page.locator(`[data-plan-row="${name}-front-1"]`).getAttribute('data-action'), 'create');
    assert.equal(await page.locator(`[data-plan-row="${name}_default"]`).getAttribute('data-action'), 'create');
    assert.equal((await wharf.docker.listContainers({ all: true })).length, 0, 'nothing changes before the plan is applied');
    await screenshot(page, 'stack-plan');
    await page.locator('[data-apply-plan]').click();
    // The page moves to the stack once up is done.
    await page.waitForURL(`**/stacks/${name}`, { timeout: 300_000 });
    await page.locator(`[data-container="${name}-front-1"]`).waitFor();
    const body = await frontPage();
    assert.match(body, /^one\nhello from the back/);
    const back = await wharf.docker.getContainer(`${name}-back-1`).inspect();
    assert.equal(back.State.Health?.Status, 'healthy', 'the front started after the back became healthy');
  });

  it('an edit of one service is planned and applied as a recreate of that service only', async () => {
    const before = Object.fromEntries((await wharf.docker.listContainers({ all: true })).map((c) => [c.Names[0]!.slice(1), c.Id]));
    const editor = page.locator('textarea[name=compose]');
    await editor.waitFor();
    await editor.fill((await editor.inputValue()).replace('GREETING: one', 'GREETING: two'));
    await page.locator('[data-save-plan]').click();
    await page.locator('[data-plan]').waitFor({ timeout: 60_000 });
    const rows = await page.locator('[data-plan] [data-plan-row]').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-plan-row'), tr.getAttribute('data-action')]));
    assert.deepEqual(rows.filter(([, a]) => a === 'recreate'), [[`${name}-front-1`, 'recreate']], 'only the front is recreated');
    assert.deepEqual(rows.filter(([r]) => r === `${name}-back-1`), [[`${name}-back-1`, 'keep']]);
    assert.match(await page.locator(`[data-plan-row="${name}-front-1"]`).innerText(), /environment/, 'the plan names the changed setting');
    await page.locator('[data-apply-plan]').click();
    await page.locator('[data-progress] [data-kind=done]').waitFor({ timeout: 300_000 });
    const after = Object.fromEntries((await wharf.docker.listContainers({ all: true })).map((c) => [c.Names[0]!.slice(1), c.Id]));
    assert.equal(after[`${name}-back-1`], before[`${name}-back-1`], 'the back is the same container');
    assert.notEqual(after[`${name}-front-1`], before[`${name}-front-1`], 'the front is a new container');
    await eventually(async () => (await httpGet(`http://127.0.0.1:${port}/`).catch(() => undefined))?.body.startsWith('two\n'), 'the new front', 120_000);
  });

  it('down leaves no container or network of the stack', async () => {
    await page.locator('[data-stack-action=down]').click();
    // Down's own progress (the one that removes), not the editor's from the last up.
    await page.locator('[data-progress]:has([data-kind=remove]) [data-kind=done]').waitFor({ timeout: 120_000 });
    assert.deepEqual(await wharf.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${name}`] } }), []);
    assert.ok(!(await wharf.docker.listNetworks()).some((n) => n.Name.startsWith(`${name}_`)));
    await screenshot(page, 'stack-down');
  });
});
