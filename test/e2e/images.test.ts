/**
 * The images page in a real browser: import a filesystem from a file and from a URL (with
 * changes), save several selected images into one download, remove them with force, load the
 * download back, and prune dangling images (and, with an age, nothing that is new).
 * Everything an image controls (labels, names) is shown as text.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import tar from 'tar-stream';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot } from './support/browser.ts';
import { startWharf, type Wharf } from './support/server.ts';
import { runDocker } from '../helpers/docker-cli.ts';

const ADMIN_PASSWORD = 'images e2e admin password';

async function pack(entries: { name: string; data: string }[]): Promise<Buffer> {
  const p = tar.pack();
  for (const e of entries) p.entry({ name: e.name, mode: 0o644 }, e.data);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function entriesOf(archive: Buffer): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (d: unknown) => chunks.push(d as Buffer));
      stream.on('end', () => { out.set(header.name, Buffer.concat(chunks)); next(); });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(archive);
  await done;
  return out;
}

describe('images page', { timeout: 600_000 }, () => {
  let wharf: Wharf;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let files: http.Server;
  let filesURL = '';

  const docker = async (args: string[]) => {
    const r = await runDocker(wharf.socket, path.join(wharf.dir, 'docker-config'), args, { timeoutMs: 180_000 });
    assert.equal(r.code, 0, `docker ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const exists = async (ref: string) => (await runDocker(wharf.socket, path.join(wharf.dir, 'docker-config'), ['image', 'inspect', ref])).code === 0;
  const table = () => page.locator('[data-resource-table=images]');
  const row = (tag: string) => table().locator('[data-row-id]', { has: page.locator(`[data-image-tag="${tag}"]`) });

  before(async () => {
    wharf = await startWharf('images-page', { WHARF_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const rootfs = await pack([{ name: 'etc/from-url', data: 'fetched by the engine\n' }]);
    files = http.createServer((req, res) => {
      if (req.url === '/rootfs.tar') res.writeHead(200, { 'content-type': 'application/x-tar' }).end(rootfs);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesURL = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    ({ page, errors: pageErrors } = await newPage(browser));
    // Signed in through the API (the sign-in form is covered elsewhere): a busy machine may take long to hydrate it.
    const login = await page.context().request.post(`${wharf.url}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } });
    assert.equal(login.status(), 200, await login.text());
  });

  after(async () => {
    await browser?.close();
    files?.closeAllConnections();
    await new Promise((resolve) => files?.close(resolve));
    await wharf?.stop();
  });

  it('imports a filesystem from a file, with changes, and shows its labels as text', async () => {
    const upload = path.join(wharf.dir, 'rootfs.tar');
    await writeFile(upload, await pack([{ name: 'etc/greeting', data: 'uploaded\n' }]));
    await page.goto(`${wharf.url}/images`);
    await page.click('[data-import-open]');
    const dialog = page.locator('dialog[open]');
    await dialog.locator('[data-import-file]').setInputFiles(upload);
    await dialog.getByLabel('Name').fill('e2e-import/file:1');
    await dialog.getByLabel('Changes').fill('LABEL note="<b>bold</b>"\nENV MODE=imported');
    await dialog.getByLabel('Message').fill('from the browser');
    await dialog.locator('[data-import-submit]').click();
    await row('e2e-import/file:1').waitFor({ timeout: 60_000 });
    const img = await wharf.docker.getImage('e2e-import/file:1').inspect();
    assert.equal(img.Config.Labels?.note, '<b>bold</b>');
    assert.ok(img.Config.Env?.includes('MODE=imported'));
    assert.equal(img.Comment, 'from the browser');

    await row('e2e-import/file:1').locator('[data-image-tag="e2e-import/file:1"]').click();
    await page.getByText('<b>bold</b>').first().waitFor();
    assert.equal(await page.locator('main b', { hasText: 'bold' }).count(), 0, 'a label is text, never markup');
  });

  it('imports from a URL the engine fetches', async () => {
    await page.goto(`${wharf.url}/images`);
    await page.click('[data-import-open]');
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Source').selectOption('url');
    await dialog.getByLabel('Archive URL').fill(`${filesURL}/missing.tar`);
    await dialog.getByLabel('Name').fill('e2e-import/url:1');
    await dialog.locator('[data-import-submit]').click();
    await dialog.getByRole('alert').filter({ hasText: /status 404/ }).waitFor({ timeout: 60_000 });
    assert.equal(await exists('e2e-import/url:1'), false);
    await dialog.getByLabel('Archive URL').fill(`${filesURL}/rootfs.tar`);
    await dialog.getByLabel('Changes').fill('CMD ["cat", "/etc/from-url"]');
    await dialog.locator('[data-import-submit]').click();
    await row('e2e-import/url:1').waitFor({ timeout: 60_000 });
    assert.deepEqual((await wharf.docker.getImage('e2e-import/url:1').inspect()).Config.Cmd, ['cat', '/etc/from-url']);
  });

  it('saves two selected images into one download, removes them with force, and loads the download back', async () => {
    await docker(['tag', 'e2e-import/file:1', 'e2e-import/file:twin']);
    const ids = [(await wharf.docker.getImage('e2e-import/file:1').inspect()).Id, (await wharf.docker.getImage('e2e-import/url:1').inspect()).Id];
    await page.goto(`${wharf.url}/images`);
    await row('e2e-import/file:1').getByRole('checkbox').check();
    await row('e2e-import/url:1').getByRole('checkbox').check();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-save-selected]')]);
    const saved = path.join(wharf.dir, 'saved.tar');
    await download.saveAs(saved);
    const manifest = JSON.parse((await entriesOf(await readFile(saved))).get('manifest.json')!.toString()) as { RepoTags: string[] }[];
    assert.deepEqual(manifest.map((m) => m.RepoTags.sort()).sort(), [['e2e-import/file:1', 'e2e-import/file:twin'], ['e2e-import/url:1']]);

    // Two tags on one image need force, as `docker rmi -f`.
    await page.getByRole('button', { name: 'Remove selected' }).click();
    await page.locator('dialog[open]').getByRole('checkbox').check();
    await page.locator('[data-confirm]').click();
    await table().locator('[data-image-tag="e2e-import/url:1"]').waitFor({ state: 'detached', timeout: 60_000 });
    await table().locator('[data-image-tag="e2e-import/file:1"]').waitFor({ state: 'detached', timeout: 60_000 });
    assert.equal(await exists(ids[0]!), false);

    await page.locator('[data-load-input]').setInputFiles(saved);
    await row('e2e-import/url:1').waitFor({ timeout: 60_000 });
    await row('e2e-import/file:twin').waitFor();
    assert.deepEqual([(await wharf.docker.getImage('e2e-import/file:1').inspect()).Id, (await wharf.docker.getImage('e2e-import/url:1').inspect()).Id], ids);
    await screenshot(page, 'images-loaded');
  });

  it('prunes dangling images; an age limit keeps new ones', async () => {
    // The same name imported twice: the first image is left dangling.
    const tarFile = path.join(wharf.dir, 'rootfs.tar');
    const first = (await docker(['import', tarFile, 'e2e-prune:1'])).trim();
    await docker(['import', '-c', 'ENV SECOND=1', tarFile, 'e2e-prune:1']);
    assert.equal(await exists(first), true);
    await page.goto(`${wharf.url}/images`);

    // Only dangling images older than a day: the new one stays.
    await page.click('[data-prune-open]');
    let dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Age', { exact: true }).selectOption('24h');
    await dialog.locator('[data-prune-submit]').click();
    await page.locator('[data-toast=success]', { hasText: 'Pruned 0 images' }).waitFor({ timeout: 60_000 });
    assert.equal(await exists(first), true);

    await page.click('[data-prune-open]');
    dialog = page.locator('dialog[open]');
    await dialog.locator('[data-prune-submit]').click();
    await page.locator('[data-toast=success]', { hasText: 'Pruned 1 image,' }).waitFor({ timeout: 60_000 });
    assert.equal(await exists(first), false);
    assert.equal(await exists('e2e-prune:1'), true, 'a tagged image is not dangling');
    assert.deepEqual(pageErrors, []);
  });
});
