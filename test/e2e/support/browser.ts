import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const SCREENSHOTS = path.join(repoRoot, 'test-output', 'screenshots');

/** Debian's Chromium, headless; never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A laptop-sized page that records uncaught page errors for the test to assert on. */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  retryNavigationOnNetworkChange(page);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.setDefaultTimeout(30_000);
  return { page, errors };
}

/**
 * Chromium aborts requests in flight with net::ERR_NETWORK_CHANGED when the host's interfaces
 * change, loopback included (chromium issue 41465264), and every container start and stop adds or
 * removes a veth and its IPv6 link-local address. The navigation itself then fails; or one of
 * its scripts does, and the page stays as the server rendered it, never hydrated (no live
 * updates, no data). A user reloads; the tests navigate again, a few times at most. Anything
 * else still fails the navigation at once.
 */
function retryNavigationOnNetworkChange(page: Page): void {
  const lost = (r: Request) => r.failure()?.errorText === 'net::ERR_NETWORK_CHANGED' && ['document', 'script', 'stylesheet'].includes(r.resourceType());
  for (const method of ['goto', 'reload'] as const) {
    const original = page[method].bind(page) as (...args: unknown[]) => ReturnType<Page['goto']>;
    (page as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      for (let attempt = 1; ; attempt++) {
        let scriptLost = false;
        const watch = (r: Request) => { if (lost(r)) scriptLost = true; };
        page.on('requestfailed', watch);
        try {
          const response = await original(...args);
          if (!scriptLost || attempt >= 4) return response;
        } catch (err) {
          if (attempt >= 4 || !String((err as Error).message).includes('net::ERR_NETWORK_CHANGED')) throw err;
        } finally {
          page.off('requestfailed', watch);
        }
      }
    };
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('form[data-form=login] button[type=submit]');
  await page.waitForURL(`${url}/`);
}
