/**
 * Image updates in a real browser: a tag that moved in a registry with credentials shows
 * "update available" on the container and the image, Update recreates the container on the new
 * image, and Roll back restores the old one. The check uses the credentials stored on the
 * Registries page; the docker CLI is logged out when the dashboard checks and pulls.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.ts';
import { startWharf, type Wharf } from './support/server.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { runDocker, type CliOptions } from '../helpers/docker-cli.ts';

const ADMIN_PASSWORD = 'updates e2e admin password';
const USER = { name: 'e2e-updates', password: 'updates-secret-4c1d' };
const NAME = 'e2e-updated';

describe('image updates', { timeout: 600_000 }, () => {
  let wharf: Wharf;
  let registry: TestRegistry;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let ref = '';
  let imageA = '';
  let imageB = '';

  const docker = async (args: string[], opts: CliOptions = {}) => {
    const r = await runDocker(wharf.socket, path.join(wharf.dir, 'docker-config'), args, { timeoutMs: 180_000, ...opts });
    assert.equal(r.code, 0, `docker ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const imageWith = async (content: string) => {
    await docker(['run', '--name', 'e2e-maker', 'busybox', 'sh', '-c', `echo ${content} > /v`]);
    await docker(['commit', 'e2e-maker', ref]);
    await docker(['rm', 'e2e-maker']);
    return (await docker(['image', 'inspect', '-f', '{{.Id}}', ref])).trim();
  };
  const imageOf = async () => (await wharf.docker.getContainer(NAME).inspect()).Image;

  before(async () => {
    registry = await startRegistry({ user: USER });
    wharf = await startWharf('updates-e2e', { WHARF_ADMIN_PASSWORD: ADMIN_PASSWORD });
    ref = `${registry.host}/e2e/svc:1`;
    await docker(['login', '-u', USER.name, '--password-stdin', registry.host], { input: USER.password });
    // A in the registry and pulled from it (so it has a repo digest), running as the container.
    await imageWith('A');
    await docker(['push', ref]);
    await docker(['rmi', ref]);
    await docker(['pull', ref]);
    imageA = (await docker(['image', 'inspect', '-f', '{{.Id}}', ref])).trim();
    await docker(['run', '-d', '--name', NAME, '-e', 'MODE=e2e', ref, 'sleep', '1000']);
    // B pushed to the same tag; locally the tag stays on A.
    imageB = await imageWith('B');
    await docker(['push', ref]);
    await docker(['tag', imageA, ref]);
    await docker(['rmi', imageB]);
    await docker(['logout', registry.host]);
    browser = await launchBrowser();
    ({ page, errors: pageErrors } = await newPage(browser));
    await signIn(page, wharf.url, 'admin', ADMIN_PASSWORD);
    const added = await page.evaluate(async (r) => (await fetch('/api/registries', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r),
    })).status, { name: 'Updates registry', address: registry.host, username: USER.name, password: USER.password });
    assert.equal(added, 201);
  });

  after(async () => {
    await browser?.close();
    await wharf?.stop();
    await registry?.stop();
  });

  it('shows "update available" on the container and its image after a check', async () => {
    await page.goto(`${wharf.url}/containers`);
    await page.click('[data-check-updates]');
    await page.locator(`[data-update-available="${ref}"]`).first().waitFor({ timeout: 120_000 });
    await screenshot(page, 'updates-containers');
    await page.goto(`${wharf.url}/images`);
    await page.locator(`[data-update-available="${ref}"]`).first().waitFor({ timeout: 60_000 });
    assert.equal(await imageOf(), imageA);
  });

  it('updates the container on the new image, then rolls it back in one click', async () => {
    // The answer comes after the old container is removed; held back a little here, the page
    // sees that removal first (as on a slow registry check) and must still follow the new one.
    await page.route(/\/containers\/[^/]+\/(update|rollback)$/, async (route) => {
      const answer = await route.fetch();
      await new Promise((r) => setTimeout(r, 2000));
      await route.fulfill({ response: answer });
    });
    await page.goto(`${wharf.url}/containers`);
    await page.click(`[data-container-link="${NAME}"]`);
    await page.locator(`[data-update-available="${ref}"]`).waitFor({ timeout: 60_000 });
    await page.click('[data-update-container]');
    await page.getByText(`${NAME} updated`).waitFor({ timeout: 180_000 });
    await page.locator('[data-rollback-container]').waitFor({ timeout: 60_000 });
    // The badge is gone once the container runs the new image.
    await page.locator('[data-update-available]').waitFor({ state: 'detached', timeout: 60_000 });
    await screenshot(page, 'updates-updated');
    const updated = await wharf.docker.getContainer(NAME).inspect();
    assert.equal(updated.Image, imageB);
    assert.equal(updated.State.Running, true);
    assert.ok(updated.Config.Env.includes('MODE=e2e'));

    await page.click('[data-rollback-container]');
    await page.getByText(`${NAME} rolled back`).waitFor({ timeout: 180_000 });
    // Rolled back, the container follows the tag again: the newer image is offered once more.
    await page.locator('[data-update-container]').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('[data-rollback-container]').count(), 0);
    const back = await wharf.docker.getContainer(NAME).inspect();
    assert.equal(back.Image, imageA);
    assert.equal(back.State.Running, true);
    assert.ok(back.Config.Env.includes('MODE=e2e'));
    await page.locator(`[data-container-name]`).filter({ hasText: NAME }).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
