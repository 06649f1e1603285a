/**
 * The dashboard in a real browser against a real server: first-run setup, sign-in, creating
 * a container from the form, its details, live logs, the console, limits, bulk actions,
 * images, volume files, and user-controlled strings that must stay text.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.ts';
import { dockerExec, freePort, startWharf, type Wharf } from './support/server.ts';

const PASSWORD = 'a long enough password';
const XSS = '<img src=x onerror=window.__xss=1>';
const MiB = 1024 * 1024;

async function xssFired(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);
}

describe('dashboard', { timeout: 600_000 }, () => {
  let wharf: Wharf;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let webId = '';
  let webPort = 0;
  let www = '';

  before(async () => {
    wharf = await startWharf('dashboard');
    browser = await launchBrowser();
    ({ page, errors: pageErrors } = await newPage(browser));
  });

  after(async () => {
    await browser?.close();
    await wharf?.stop();
  });

  it('first run asks for the administrator and the setup token from the server log', async () => {
    const [, token] = await wharf.waitForLine(/^wharf: setup token: (\S+)$/);
    await page.goto(`${wharf.url}/containers`);
    await page.waitForURL(/\/login/);
    await page.getByRole('heading', { name: 'Create the administrator' }).waitFor();
    await screenshot(page, 'setup');

    // Validation happens at the field, before anything is sent.
    await page.fill('input[name=password]', 'short');
    await page.fill('input[name=confirm]', 'short');
    await page.fill('input[name=token]', token!);
    await page.click('form[data-form=setup] button[type=submit]');
    await page.getByText('password must be at least 12 characters').waitFor();

    // A wrong token is refused by the server, and said so.
    await page.fill('input[name=password]', PASSWORD);
    await page.fill('input[name=confirm]', PASSWORD);
    await page.fill('input[name=token]', 'not-the-token');
    await page.click('form[data-form=setup] button[type=submit]');
    await page.getByText(/invalid setup token/).waitFor();

    await page.fill('input[name=token]', token!);
    await page.click('form[data-form=setup] button[type=submit]');
    await page.waitForURL(`${wharf.url}/`);
    await page.locator('[data-fact=Version]').filter({ hasText: /\S/ }).waitFor();
    assert.equal(await page.locator('[data-username]').textContent(), 'admin');
    await page.locator('[data-realtime=connected]').waitFor();
    await screenshot(page, 'home');
  });

  it('signs out, keeps pages behind the sign-in, and signs in again', async () => {
    await page.click('[data-logout]');
    await page.waitForURL(/\/login/);
    await page.goto(`${wharf.url}/images`);
    await page.waitForURL(/\/login/);
    assert.equal((await fetch(`${wharf.url}/api/environments`)).status, 401);

    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'wrong password!!');
    await page.click('form[data-form=login] button[type=submit]');
    await page.getByText('invalid username or password').waitFor();
    await screenshot(page, 'login');

    await signIn(page, wharf.url, 'admin', PASSWORD);
    await page.locator('[data-realtime=connected]').waitFor();
  });

  it('creates a container from the form with a published port, a memory limit and a bind mount', async () => {
    www = path.join(wharf.dir, 'www');
    mkdirSync(www);
    writeFileSync(path.join(www, 'index.html'), 'served from a bind mount\n');
    webPort = await freePort();

    await page.goto(`${wharf.url}/containers`);
    await page.click('[data-add-container]');
    await page.waitForURL(/\/containers\/new$/);
    const form = page.locator('[data-create-form]');

    // A bad value is reported at its field.
    await form.locator('input[name=image]').fill('busybox:latest');
    await form.locator('input[name=name]').fill('-bad name');
    await form.locator('input[name=memory]').fill('2');
    await form.locator('[data-submit]').click();
    await form.getByText('names are 2+ characters').waitFor();
    await form.getByText('the smallest memory limit is 6 MB').waitFor();

    await form.locator('input[name=name]').fill('web-e2e');
    await form.locator('input[name=cmd]').fill('sh -c "echo wharf-e2e-ready; exec httpd -f -v -p 8080 -h /srv"');
    await form.locator('input[name=memory]').fill('64');
    await form.getByRole('button', { name: '+ Port' }).click();
    await form.locator('input[name="ports.0.host"]').fill(String(webPort));
    await form.locator('input[name="ports.0.container"]').fill('8080');
    await form.getByRole('button', { name: '+ Mount' }).click();
    await form.locator('select[name="volumes.0.type"]').selectOption('bind');
    await form.locator('input[name="volumes.0.source"]').fill(www);
    await form.locator('input[name="volumes.0.target"]').fill('/srv');
    await form.getByRole('button', { name: '+ Label' }).click();
    await form.locator('input[name="labels.0.key"]').fill('e2e.note');
    await form.locator('input[name="labels.0.value"]').fill(XSS);
    await form.getByRole('button', { name: '+ Variable' }).click();
    await form.locator('input[name="env.0.key"]').fill('GREETING');
    await form.locator('input[name="env.0.value"]').fill(XSS);
    await screenshot(page, 'create-container');
    await form.locator('[data-submit]').click();

    await page.waitForURL(/\/containers\/[0-9a-f]{64}$/);
    webId = /\/containers\/([0-9a-f]{64})$/.exec(page.url())![1]!;
    await page.locator('[data-container-name]', { hasText: 'web-e2e' }).waitFor();
    await page.locator('[data-detail=Status]', { hasText: 'running' }).waitFor();
    assert.equal(await page.locator('[data-detail=Memory]').textContent(), '64.0 MiB');
    await screenshot(page, 'container-overview');

    const inspect = await wharf.docker.getContainer(webId).inspect();
    assert.equal(inspect.State.Running, true);
    assert.equal(inspect.HostConfig.Memory, 64 * MiB);
    assert.ok(inspect.Mounts.some((m) => m.Type === 'bind' && m.Source === www && m.Destination === '/srv'), JSON.stringify(inspect.Mounts));
    assert.deepEqual(inspect.HostConfig.PortBindings, { '8080/tcp': [{ HostIp: '', HostPort: String(webPort) }] });
  });

  // Host-side publishing comes with container networking; inside the container the server
  // answers on its port with the bind-mounted files.
  it('serves the bind-mounted files from inside the container', async () => {
    const out = await dockerExec(wharf.docker, webId, ['wget', '-qO-', 'http://127.0.0.1:8080/index.html']);
    assert.equal(out, 'served from a bind mount\n');
  });

  it('lists the container with its published port as a link', async () => {
    await page.goto(`${wharf.url}/containers`);
    const row = page.locator(`[data-row-id="${webId}"]`);
    await row.locator('[data-state=running]').waitFor();
    assert.equal(await row.locator(`[data-port-link="${webPort}"]`).getAttribute('href'), `http://127.0.0.1:${webPort}/`);
    await row.locator('[data-live-stat=memory]').waitFor();
    await screenshot(page, 'containers');
  });

  it('streams logs live, with colours, and shows markup in a line as text', async () => {
    await page.goto(`${wharf.url}/containers/${webId}?tab=logs`);
    const viewer = page.locator('[data-log-viewer]');
    await viewer.getByText('wharf-e2e-ready').waitFor();
    await viewer.locator('[data-log-state=streaming]').waitFor();
    // Written to the main process's stdout after the viewer subscribed: only a live stream shows it.
    await dockerExec(wharf.docker, webId, ['sh', '-c', `printf '%s\\n' 'live-line-after-subscribe' '${XSS}' > /proc/1/fd/1; printf '\\033[31mred-text\\033[0m\\n' > /proc/1/fd/1`]);
    await viewer.getByText('live-line-after-subscribe').waitFor();
    await viewer.getByText(XSS, { exact: true }).waitFor();
    const red = viewer.locator('span', { hasText: /^red-text$/ });
    await red.waitFor();
    assert.match((await red.getAttribute('style')) ?? '', /color/);
    assert.equal(await viewer.locator('img').count(), 0);

    await viewer.locator('[data-log-search]').fill('live-line');
    await viewer.locator('mark', { hasText: 'live-line' }).waitFor();
    await screenshot(page, 'container-logs');
    assert.equal(await xssFired(page), undefined);
  });

  it('keeps a log of 300,000 lines bounded and virtualised', async () => {
    const c = await wharf.docker.createContainer({ name: 'chatty', Image: 'busybox:latest', Cmd: ['sh', '-c', 'seq 1 300000; exec sleep 3600'] });
    await c.start();
    await page.goto(`${wharf.url}/containers/${c.id}?tab=logs`);
    const viewer = page.locator('[data-log-viewer]');
    await viewer.getByLabel('Tail lines').fill('all');
    await viewer.getByRole('button', { name: 'Apply' }).click();
    // Following keeps the newest line in view; the buffer holds the last 100,000.
    await viewer.locator('[data-log-line]', { hasText: /^300000$/ }).waitFor({ timeout: 120_000 });
    await viewer.locator('[data-log-dropped]', { hasText: '200,000 earlier lines were dropped' }).waitFor();
    const rendered = await viewer.locator('[data-log-line]').count();
    assert.ok(rendered < 300, `${rendered} log lines in the DOM`);
    await viewer.locator('[data-log-search]').fill('250000');
    await viewer.locator('[data-log-search]').press('Enter');
    await viewer.locator('mark', { hasText: '250000' }).waitFor();
    assert.equal(await viewer.locator('[data-follow]').textContent(), 'Resume following');
    await screenshot(page, 'container-logs-300k');
    await c.remove({ force: true });
  });

  it('follows a container that starts (and restarts) after its log was opened', async () => {
    const c = await wharf.docker.createContainer({ name: 'late-starter', Image: 'busybox:latest', Cmd: ['sh', '-c', 'echo started; sleep 1'] });
    await page.goto(`${wharf.url}/containers/${c.id}?tab=logs`);
    const viewer = page.locator('[data-log-viewer]');
    // Not running: the follow ends at once, as dockerd ends it.
    await viewer.locator('[data-log-state="ended"]').waitFor();
    await c.start();
    await viewer.locator('[data-log-line]', { hasText: /^started$/ }).first().waitFor({ timeout: 30_000 });
    await c.wait();
    await viewer.locator('[data-log-state="ended"]').waitFor();
    await c.start();
    await viewer.locator('[data-log-line]', { hasText: /^started$/ }).nth(1).waitFor({ timeout: 30_000 });
    // Each run's line once: following again skips what the viewer already has.
    assert.equal(await viewer.locator('[data-log-line]', { hasText: /^started$/ }).count(), 2);
    await c.remove({ force: true });
  });

  it('renders labels and environment values that contain markup as text', async () => {
    await page.goto(`${wharf.url}/containers/${webId}`);
    assert.equal(await page.locator('[data-kv="e2e.note"]').textContent(), XSS);
    assert.equal(await page.locator('[data-kv="GREETING"]').textContent(), XSS);
    await page.goto(`${wharf.url}/containers/${webId}?tab=inspect`);
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.locator('[data-json-view]').getByText(`"${XSS}"`).first().waitFor();
    assert.equal(await page.locator('main img').count(), 0);
    assert.equal(await xssFired(page), undefined);
  });

  it('opens a console that runs commands and says when the session ends', async () => {
    await page.goto(`${wharf.url}/containers/${webId}?tab=console`);
    await page.click('[data-connect]');
    const terminal = page.locator('[data-terminal] .xterm-rows');
    await terminal.waitFor();
    await page.locator('[data-disconnect]').waitFor();
    // Typing before the shell reads would only show the terminal's own echo: wait for the prompt.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-terminal] .xterm-rows > div')].some((row) => /[#$]\s*$/.test(row.textContent ?? '')));
    await page.locator('[data-terminal] textarea').focus();
    await page.keyboard.type('echo $((6*7))\n');
    await page.waitForFunction(() => {
      const rows = document.querySelectorAll('[data-terminal] .xterm-rows > div');
      return [...rows].some((r) => r.textContent?.trim() === '42');
    });
    await screenshot(page, 'container-console');
    await page.keyboard.type('exit 3\n');
    await page.locator('[data-exec-ended]', { hasText: 'exit code 3' }).waitFor();
  });

  it('shows live stats and applies new limits to the running container', async () => {
    await page.goto(`${wharf.url}/containers/${webId}?tab=stats`);
    await page.locator('[data-stat-value=PIDs]').filter({ hasText: /^\d+$/ }).waitFor();
    await screenshot(page, 'container-stats');

    await page.goto(`${wharf.url}/containers/${webId}?tab=edit`);
    const form = page.locator('[data-limits-form]');
    await form.locator('input[name=memory]').fill('96');
    await form.locator('input[name=cpus]').fill('0.5');
    await form.getByRole('button', { name: 'Apply limits' }).click();
    await page.locator('[data-toast=success]', { hasText: 'Limits of web-e2e updated' }).waitFor();
    const inspect = await wharf.docker.getContainer(webId).inspect();
    assert.equal(inspect.HostConfig.Memory, 96 * MiB);
    assert.equal(inspect.HostConfig.NanoCpus, 0.5e9);
    assert.equal(inspect.State.Running, true);

    await page.locator('input[name=repo]').fill('e2e-commit');
    await page.locator('input[name=tag]').fill('v1');
    await page.getByRole('button', { name: 'Commit', exact: true }).click();
    await page.locator('[data-toast=success]', { hasText: 'Committed e2e-commit:v1' }).waitFor();
  });

  it('adds an operator, whose bind mounts and taken names are refused at the form field', async () => {
    await page.goto(`${wharf.url}/users`);
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('dialog input[name=username]').fill('ops');
    await page.locator('dialog input[name=password]').fill('short');
    await page.locator('dialog').getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('dialog').getByText('password must be at least 12 characters').waitFor();
    await page.locator('dialog input[name=password]').fill('operator password');
    await page.locator('dialog').getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('[data-resource-table=users] [data-row-id=ops]').waitFor();
    await screenshot(page, 'users');

    const { page: ops } = await newPage(browser);
    try {
      await signIn(ops, wharf.url, 'ops', 'operator password');
      assert.equal(await ops.locator('nav a', { hasText: 'Users' }).count(), 0);
      await ops.goto(`${wharf.url}/containers/new`);
      const form = ops.locator('[data-create-form]');
      await form.locator('input[name=image]').fill('busybox:latest');
      await form.locator('input[name=name]').fill('web-e2e');
      await form.getByRole('button', { name: '+ Mount' }).click();
      await form.locator('select[name="volumes.0.type"]').selectOption('bind');
      await form.locator('input[name="volumes.0.source"]').fill(wharf.dir);
      await form.locator('input[name="volumes.0.target"]').fill('/host');
      await form.locator('[data-submit]').click();
      await form.getByText('operators cannot use bind mounts (HostConfig.Binds[0])').waitFor();
      assert.equal(await form.locator('input[name="volumes.0.source"]').getAttribute('aria-invalid'), 'true');

      // Without the bind mount the server takes the body, and the engine refuses the taken name.
      await form.getByRole('button', { name: 'Remove row 1' }).click();
      await form.locator('[data-submit]').click();
      await form.getByText(/already in use/).waitFor();
      assert.equal(await form.locator('input[name=name]').getAttribute('aria-invalid'), 'true');
    } finally {
      await ops.context().close();
    }
  });

  it('stops and removes several containers at once', async () => {
    const ids: string[] = [];
    for (const name of ['bulk-a', 'bulk-b', 'bulk-c']) {
      const c = await wharf.docker.createContainer({ name, Image: 'busybox:latest', Cmd: ['sleep', '3600'] });
      await c.start();
      ids.push(c.id);
    }
    await page.goto(`${wharf.url}/containers`);
    const table = page.locator('[data-resource-table=containers]');
    await table.locator('[data-table-search]').fill('bulk-');
    for (const id of ids) await table.locator(`[data-row-id="${id}"] [data-state=running]`).waitFor();
    await table.getByLabel('Select all containers').check();
    await table.locator('[data-bulk=stop]').click();
    // The list follows the engine's events: no reload.
    for (const id of ids) await table.locator(`[data-row-id="${id}"] [data-state=exited]`).waitFor({ timeout: 60_000 });
    // The rows follow the exit events; the stop requests answer once each teardown is done, and
    // only then does the page clear the selection. Select again after that, not before.
    await table.locator('[data-bulk][aria-busy]').waitFor({ state: 'detached', timeout: 60_000 });

    await table.getByLabel('Select all containers').check();
    await table.locator('[data-bulk=remove]').click();
    await page.locator('dialog [data-confirm]').click();
    for (const id of ids) await table.locator(`[data-row-id="${id}"]`).waitFor({ state: 'detached' });
    const left = await wharf.docker.listContainers({ all: true, filters: { name: ['bulk-'] } });
    assert.deepEqual(left.map((c) => c.Names), []);
  });

  it('tags an image, reports a failed pull, and builds or says why it cannot', async () => {
    await page.goto(`${wharf.url}/images`);
    const table = page.locator('[data-resource-table=images]');
    const row = table.locator('[data-row-id]', { has: page.locator('[data-image-tag="busybox:latest"]') });
    await row.getByRole('button', { name: 'Tag' }).click();
    await page.locator('dialog input[name=tag]').fill('e2e/busybox:tagged');
    await page.locator('dialog').getByRole('button', { name: 'Tag', exact: true }).click();
    await table.locator('[data-image-tag="e2e/busybox:tagged"]').waitFor();
    const tagged = await wharf.docker.getImage('e2e/busybox:tagged').inspect();
    const original = await wharf.docker.getImage('busybox:latest').inspect();
    assert.equal(tagged.Id, original.Id);
    await screenshot(page, 'images');

    // The committed image is built on busybox's layer, so that layer is shared with it.
    await table.locator('[data-image-tag="busybox:latest"]').click();
    const history = page.locator('[data-history]');
    await history.waitFor();
    await history.locator('tr', { hasText: 'busybox' }).getByText('1 image').waitFor();
    await screenshot(page, 'image-details');
    await page.goto(`${wharf.url}/images`);

    // Nothing listens on port 1: the engine's own error reaches the dialog.
    await page.click('[data-pull-open]');
    await page.locator('dialog input[name=reference]').fill('127.0.0.1:1/nothing/here:1');
    await page.locator('dialog').getByRole('button', { name: 'Pull', exact: true }).click();
    await page.locator('dialog [data-pull-progress] [role=alert]').waitFor({ timeout: 60_000 });
    assert.match(await page.locator('dialog [data-pull-progress] [role=alert]').textContent() ?? '', /Pulling 127\.0\.0\.1:1\/nothing\/here:1 failed: \S/);
    await page.locator('dialog').getByRole('button', { name: 'Close', exact: true }).click();

    // Pushing needs a registry; with none reachable the engine's own error reaches the dialog.
    const taggedRow = table.locator('[data-row-id]', { has: page.locator('[data-image-tag="e2e/busybox:tagged"]') });
    await taggedRow.getByRole('button', { name: 'Push' }).click();
    await page.locator('dialog [data-push-form]').getByRole('combobox').selectOption('e2e/busybox:tagged');
    await page.locator('dialog').getByRole('button', { name: 'Push', exact: true }).click();
    await page.locator('dialog [data-pull-progress] [role=alert]').waitFor({ timeout: 60_000 });
    assert.match(await page.locator('dialog [data-pull-progress] [role=alert]').textContent() ?? '', /Pushing e2e\/busybox:tagged failed: \S/);
    await page.locator('dialog').getByRole('button', { name: 'Close', exact: true }).click();

    await page.goto(`${wharf.url}/images/build`);
    await page.locator('[data-build-form] input[name=tag]').fill('e2e-built:1');
    await page.locator('[data-build-form]').getByRole('button', { name: 'Build' }).click();
    const outcome = page.locator('[data-build-outcome]');
    await outcome.waitFor({ timeout: 120_000 });
    const text = (await outcome.textContent()) ?? '';
    const images = await wharf.docker.listImages();
    if (/^Built /.test(text)) {
      assert.ok(images.some((i) => i.RepoTags?.includes('e2e-built:1:latest') || i.RepoTags?.includes('e2e-built:1')), text);
      // The build log ends with the size hints, and the image's page shows the stored ones.
      assert.match((await page.locator('[data-build-log]').textContent()) ?? '', /Size hints: \d+ layers?, /);
      await page.goto(`${wharf.url}/images/${encodeURIComponent('e2e-built:1')}`);
      const hints = page.locator('[data-size-hints]');
      await hints.waitFor({ timeout: 60_000 });
      assert.match((await hints.textContent()) ?? '', /^\d+ layers?, /);
    } else {
      // An engine without POST /build: the answer is shown as it is, not dressed up.
      assert.match(text, /This engine does not build images \(it answered (404|501)/);
      assert.ok(!images.some((i) => i.RepoTags?.some((t) => t.startsWith('e2e-built'))));
    }
    await screenshot(page, 'image-build');
  });

  it('shows engine events live, and creates and removes volumes and networks', async () => {
    await page.goto(`${wharf.url}/events`);
    await page.locator('[data-realtime=connected]').waitFor();
    await page.getByText(/Waiting for events/).waitFor();
    const probe = await wharf.docker.createContainer({ name: 'evt-probe', Image: 'busybox:latest', Cmd: ['true'] });
    await page.locator('[data-resource-table=events] [data-row-id]', { hasText: 'evt-probe' }).filter({ hasText: 'create' }).waitFor();
    await probe.remove();
    await page.locator('[data-resource-table=events] [data-row-id]', { hasText: 'evt-probe' }).filter({ hasText: 'destroy' }).waitFor();
    await screenshot(page, 'events');

    // A volume made without a name (an image VOLUME's, `-v /path`) is marked as anonymous.
    const anonymous = await wharf.docker.createVolume({});
    assert.match(anonymous.name, /^[0-9a-f]{64}$/);
    await page.goto(`${wharf.url}/volumes`);
    await page.locator(`[data-resource-table=volumes] [data-anonymous="${anonymous.name}"]`).waitFor();
    await anonymous.remove();
    await page.getByRole('button', { name: 'Create volume' }).click();
    await page.locator('dialog input[name=name]').fill('e2e-vol');
    await page.locator('dialog').getByRole('button', { name: 'Create', exact: true }).click();
    const volumes = page.locator('[data-resource-table=volumes]');
    await volumes.locator('[data-row-id=e2e-vol]').waitFor();
    assert.equal(await volumes.locator('[data-row-id=e2e-vol] [data-anonymous]').count(), 0, 'a named volume is not marked anonymous');
    assert.equal((await wharf.docker.getVolume('e2e-vol').inspect()).Name, 'e2e-vol');
    await volumes.getByLabel('Select e2e-vol').check();
    await volumes.getByRole('button', { name: 'Remove selected' }).click();
    await page.locator('dialog [data-confirm]').click();
    await volumes.locator('[data-row-id=e2e-vol]').waitFor({ state: 'detached' });

    await page.goto(`${wharf.url}/networks`);
    await page.getByRole('button', { name: 'Create network' }).click();
    await page.locator('dialog input[name=name]').fill('e2e-net');
    await page.locator('dialog input[name=subnet]').fill('10.213.7.0/24');
    await page.locator('dialog input[name=gateway]').fill('10.213.7.300');
    await page.locator('dialog').getByRole('button', { name: 'Create', exact: true }).click();
    await page.locator('dialog').getByText('an IP address inside the subnet').waitFor();
    await page.locator('dialog input[name=gateway]').fill('10.213.7.1');
    await page.locator('dialog').getByRole('button', { name: 'Create', exact: true }).click();
    const networks = page.locator('[data-resource-table=networks]');
    const row = networks.locator('[data-row-id]', { has: page.locator('[data-network=e2e-net]') });
    await row.getByText('10.213.7.0/24').waitFor();
    const created = await wharf.docker.getNetwork('e2e-net').inspect();
    assert.deepEqual((created.IPAM?.Config ?? []).map((c) => [c.Subnet, c.Gateway]), [['10.213.7.0/24', '10.213.7.1']]);
    await networks.getByLabel('Select e2e-net').check();
    await networks.getByRole('button', { name: 'Remove selected' }).click();
    await page.locator('dialog [data-confirm]').click();
    await row.waitFor({ state: 'detached' });
  });

  it('browses a volume, showing file names that contain markup as text', async () => {
    await wharf.docker.createVolume({ Name: 'e2e-browse' });
    const data = (await wharf.docker.getVolume('e2e-browse').inspect()).Mountpoint;
    const hostile = `${XSS}.txt`;
    mkdirSync(path.join(data, 'docs'));
    writeFileSync(path.join(data, hostile), 'not markup\n');
    writeFileSync(path.join(data, 'docs', 'readme.txt'), 'volume readme\n');

    const errorsBefore = pageErrors.length;
    await page.goto(`${wharf.url}/volumes`);
    await page.locator('[data-resource-table=volumes] [data-browse=e2e-browse]').click();
    const table = page.locator('[data-volume-browser]');
    await table.locator('[data-entry=file] .font-medium').getByText(hostile, { exact: true }).waitFor();
    assert.equal(await table.locator('img').count(), 0);
    assert.equal(await xssFired(page), undefined);
    await screenshot(page, 'volume-browser');

    await table.getByRole('link', { name: 'docs/' }).click();
    await page.locator('[data-volume-path="/docs"]').waitFor();
    const link = table.locator('tr', { hasText: 'readme.txt' }).getByRole('link', { name: /Download/ });
    const href = await link.getAttribute('href');
    assert.ok(href);
    const got = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    assert.equal(got, 'volume readme\n');
    assert.deepEqual(pageErrors.slice(errorsBefore), []);
    await wharf.docker.getVolume('e2e-browse').remove();
  });

  it('shows the other pages without errors, in both themes', async () => {
    for (const name of ['volumes', 'networks', 'events', 'users', 'environments', 'settings', 'templates', 'stacks']) {
      await page.goto(`${wharf.url}/${name}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      assert.equal(await page.locator('[data-error-box]').count(), 0, `${name} shows an error`);
      await screenshot(page, name);
    }
    await page.goto(`${wharf.url}/`);
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.click('[data-theme-toggle]');
    const toggled = await page.evaluate(() => document.documentElement.dataset.theme);
    assert.notEqual(toggled, before);
    await page.reload();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), toggled, 'the theme is remembered');
    await page.locator('[data-fact=Version]').filter({ hasText: /\S/ }).waitFor();
    await page.locator('[data-realtime=connected]').waitFor();
    await screenshot(page, `home-${toggled}`);
    await page.goto(`${wharf.url}/containers/${webId}?tab=logs`);
    await page.locator('[data-log-viewer]').getByText('wharf-e2e-ready').waitFor();
    await screenshot(page, `container-logs-${toggled}`);
    assert.deepEqual(pageErrors, []);
  });
});
