/**
 * The network views in a real browser against a real server: the networks page with a created
 * network, its subnet, labels and members, and the refusal to remove it while in use; the
 * create form's ports and network section refusing bad values at the field; a container's
 * "Under the hood" tab read from the kernel; connect/disconnect from the container page; and a
 * published port's link loading the container's web page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot } from './support/browser.ts';
import { freePort, startWharf, type Wharf } from './support/server.ts';

const PASSWORD = 'a long enough password';
const MiB = 1024 * 1024;
/** This file's own subnets (dashboard.test.ts uses 10.213.7.0/24). */
const SUBNET = '10.214.31.0/24';
const OTHER_SUBNET = '10.214.32.0/24';

describe('networking in the dashboard', { timeout: 600_000 }, () => {
  let wharf: Wharf;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    wharf = await startWharf('netui', { WHARF_ADMIN_PASSWORD: PASSWORD });
    browser = await launchBrowser();
    ({ page, errors: pageErrors } = await newPage(browser));
    // Signed in through the API into the browser's cookie jar: the sign-in form itself is dashboard.test.ts's subject,
    // and a click before hydration on a busy machine would submit it natively.
    const login = await page.context().request.post(`${wharf.url}/api/auth/login`, { data: { username: 'admin', password: PASSWORD } });
    assert.equal(login.status(), 200, await login.text());
    await page.goto(wharf.url);
    await page.locator('[data-username]').waitFor();
  });

  after(async () => {
    await browser?.close();
    // Networks go before the server does, so the engine takes their bridges down with them.
    for (const name of ['netui-app', 'netui-side']) {
      const left = await wharf?.docker.listContainers({ all: true, filters: { network: [name] } }).catch(() => []) ?? [];
      for (const c of left) await wharf.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      await wharf?.docker.getNetwork(name).remove().catch(() => undefined);
    }
    await wharf?.stop();
  });

  it('the networks page shows a created network with its subnet, labels and members, and says why it cannot go while in use', async () => {
    await page.goto(`${wharf.url}/networks`);
    await page.getByRole('button', { name: 'Create network' }).click();
    const dialog = page.locator('dialog');
    await dialog.locator('input[name=name]').fill('netui-app');
    await dialog.locator('input[name=subnet]').fill(SUBNET);
    await dialog.locator('input[name=gateway]').fill('10.214.31.1');
    await dialog.locator('input[name=ipRange]').fill('10.214.40.0/28');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByText('a range inside the subnet').waitFor();
    await dialog.locator('input[name=ipRange]').fill('10.214.31.128/25');
    await dialog.getByRole('button', { name: '+ Label' }).click();
    await dialog.locator('input[name="labels.0.key"]').fill('com.example.team');
    await dialog.locator('input[name="labels.0.value"]').fill('web');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();

    const table = page.locator('[data-resource-table=networks]');
    await table.locator('[data-network-subnet=netui-app]').getByText(SUBNET).waitFor();
    const created = await wharf.docker.getNetwork('netui-app').inspect();
    assert.deepEqual((created.IPAM?.Config ?? []).map((c) => [c.Subnet, c.Gateway, c.IPRange]), [[SUBNET, '10.214.31.1', '10.214.31.128/25']]);
    assert.deepEqual(created.Labels, { 'com.example.team': 'web' });

    // A running member: it is listed, and removing the network is refused with the engine's reason.
    const member = await wharf.docker.createContainer({ Image: 'busybox', name: 'netui-member', Cmd: ['sleep', '600'], HostConfig: { NetworkMode: 'netui-app' } });
    await member.start();
    await table.locator('[data-network-members=netui-app]').getByText(/netui-member/).waitFor();
    await page.locator('[data-network=netui-app]').click();
    await dialog.locator('[data-network-details=netui-app]').getByText('com.example.team').waitFor();
    await dialog.getByText('netui-member').waitFor();
    await screenshot(page, 'network-details');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    await table.getByLabel('Select netui-app').check();
    await table.getByRole('button', { name: 'Remove selected' }).click();
    await page.locator('dialog [data-confirm]').click();
    await page.locator('[data-toast=error]').getByText(/netui-app: .*active endpoints/).waitFor();
    await wharf.docker.getNetwork('netui-app').inspect();
    await screenshot(page, 'networks');
    await member.remove({ force: true });
    await wharf.docker.getNetwork('netui-app').remove();
  });

  it('the create form refuses bad ports and network settings at their fields, and creates nothing', async () => {
    const before = (await wharf.docker.listContainers({ all: true })).length;
    await page.goto(`${wharf.url}/containers/new`);
    const form = page.locator('[data-create-form]');
    await form.locator('input[name=image]').fill('busybox');
    await form.getByRole('button', { name: '+ Port' }).click();
    await form.locator('input[name="ports.0.hostIp"]').fill('localhost');
    await form.locator('input[name="ports.0.host"]').fill('70000');
    await form.getByRole('button', { name: '+ Port' }).click();
    await form.locator('input[name="ports.1.host"]').fill('8010-8000');
    await form.locator('input[name="ports.1.container"]').fill('80');
    await form.locator('input[name=dns]').fill('not-an-address');
    await form.locator('input[name=aliases]').fill('web');
    await form.locator('[data-submit]').click();

    const errorAt = (name: string) => form.locator(`input[name="${name}"]`).locator('xpath=..').locator('[data-field-error]');
    await errorAt('ports.0.host').getByText(/from 1 to 65535/).waitFor();
    await errorAt('ports.0.container').getByText('the container port is required').waitFor();
    await errorAt('ports.0.hostIp').getByText(/IPv4 or IPv6 address/).waitFor();
    await errorAt('ports.1.host').getByText('the range is reversed: 8000-8010').waitFor();
    await form.locator('[data-network-section]').getByText(/IP addresses of name servers/).waitFor();
    await form.locator('[data-network-section]').getByText('aliases need a user-defined network').waitFor();
    assert.equal(await form.locator('input[name="ports.0.host"]').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'create-form-ports');
    assert.equal((await wharf.docker.listContainers({ all: true })).length, before, 'nothing was created');
  });

  it('the under-the-hood tab shows a running container\'s namespaces, cgroup limits, overlay layers and spec', async () => {
    const c = await wharf.docker.createContainer({ Image: 'busybox', name: 'netui-kernel', Cmd: ['sh', '-c', 'echo x > /written; sleep 600'], HostConfig: { Memory: 64 * MiB, PidsLimit: 64 } });
    await c.start();
    const image = await wharf.docker.getImage('busybox').inspect();
    // Signed-in users only, like every other dashboard route.
    assert.equal((await fetch(`${wharf.url}/api/environments/local/containers/${c.id}/kernel`)).status, 401);
    await page.goto(`${wharf.url}/containers/${c.id}?tab=kernel`);
    const view = page.locator('[data-kernel-view]');
    await view.locator('[data-kernel-status]').getByText(/Running as host pid \d+/).waitFor();

    for (const ns of ['pid', 'net', 'ipc', 'uts', 'mnt', 'cgroup', 'user']) {
      assert.match(await view.locator(`[data-ns-inode=${ns}]`).innerText(), new RegExp(`^${ns}:\\[\\d+\\]$`), ns);
    }
    assert.equal(await view.locator('[data-ns-shared=mnt]').innerText(), 'its own');
    assert.equal(await view.locator('[data-ns-shared=pid]').innerText(), 'its own');

    assert.equal(await view.locator('[data-cgroup-limit=memory]').innerText(), '64.0 MiB');
    assert.equal(await view.locator('[data-cgroup-limit=pids]').innerText(), '64');
    assert.match(await view.locator('[data-cgroup-usage=memory]').innerText(), /\d+(\.\d)? (B|KiB|MiB)/);

    const diffIDs = image.RootFS.Layers ?? [];
    assert.ok(diffIDs.length >= 1);
    assert.match(await view.locator('[data-overlay-layer="0"]').innerText(), new RegExp(`diffID ${diffIDs[diffIDs.length - 1]}`), 'the top lowerdir is the image\'s last layer');
    assert.notEqual(await view.locator('[data-overlay-writes]').innerText(), '0 B', 'its own writes are counted');

    const spec = page.locator('[data-kernel-part="OCI runtime spec (config.json)"] [data-json-view]');
    await spec.getByText('ociVersion').waitFor();
    await screenshot(page, 'under-the-hood');
    await view.locator('[data-kernel-part="Overlay root filesystem"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'under-the-hood-overlay');

    await c.kill();
    await page.reload();
    await view.locator('[data-kernel-status]').getByText(/not running/).waitFor();
    await page.locator('[data-kernel-part="OCI runtime spec (config.json)"]').getByText(/only while the container runs/).waitFor();
    await c.remove({ force: true });
  });

  // Needs the engine's networking (CNI bridge and POST /networks/{id}/connect).
  it('connects a running container to a network with an alias and a fixed address, and disconnects it', async () => {
    await wharf.docker.createNetwork({ Name: 'netui-side', IPAM: { Driver: 'default', Config: [{ Subnet: OTHER_SUBNET }] } });
    const c = await wharf.docker.createContainer({ Image: 'busybox', name: 'netui-connect', Cmd: ['sleep', '600'] });
    await c.start();
    await page.goto(`${wharf.url}/containers/${c.id}`);
    const nets = page.locator('[data-container-networks]');
    await nets.locator('[data-endpoint=bridge]').waitFor();
    const form = nets.locator('[data-connect-form]');
    await form.locator('select[name=connect-network]').selectOption('netui-side');
    await form.locator('input[name=connect-aliases]').fill('db, primary');
    await form.locator('input[name=connect-ip]').fill('10.214.32.77');
    await form.getByRole('button', { name: 'Connect' }).click();
    await nets.locator('[data-endpoint-ip=netui-side]').getByText('10.214.32.77/24').waitFor();
    assert.match(await nets.locator('[data-endpoint-aliases=netui-side]').innerText(), /db, primary/);
    const inspected = await c.inspect();
    assert.equal(inspected.NetworkSettings.Networks['netui-side']?.IPAddress, '10.214.32.77');
    await screenshot(page, 'container-networks');

    await nets.locator('[data-disconnect=netui-side]').click();
    await nets.locator('[data-endpoint=netui-side]').waitFor({ state: 'detached' });
    assert.equal((await c.inspect()).NetworkSettings.Networks['netui-side'], undefined);
    await c.remove({ force: true });
    await wharf.docker.getNetwork('netui-side').remove();
  });

  // Needs the engine's networking (CNI bridge and port publishing).
  it('the dashboard\'s port link loads the container\'s page in the browser', async () => {
    const hostPort = await freePort();
    const c = await wharf.docker.createContainer({
      Image: 'busybox', name: 'netui-web',
      Cmd: ['sh', '-c', 'mkdir -p /www && echo "hello from netui-web" > /www/index.html && exec httpd -f -p 80 -h /www'],
      ExposedPorts: { '80/tcp': {} },
      HostConfig: { PortBindings: { '80/tcp': [{ HostPort: String(hostPort) }] } },
    });
    await c.start();
    await page.goto(`${wharf.url}/containers`);
    const link = page.locator(`[data-resource-table=containers] a[data-port-link="${hostPort}"]`);
    await link.waitFor();
    // The dashboard is reached at 127.0.0.1 (WHARF_HOST): the link goes there, never to 0.0.0.0.
    assert.equal(await link.getAttribute('href'), `http://127.0.0.1:${hostPort}/`);
    const [web] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await web.waitForLoadState('domcontentloaded');
    await web.getByText('hello from netui-web').waitFor({ timeout: 30_000 });
    await web.close();
    await c.remove({ force: true });
  });

  it('raised no error in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
