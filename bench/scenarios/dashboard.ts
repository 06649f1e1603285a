/**
 * What a user of the dashboard feels, in headless Chromium (Debian's): the containers page with
 * 1,000 containers, the log viewer following a fast container, and a console keystroke's echo.
 * Each figure comes with Wharf's event-loop delay (p99, max) while it was measured.
 */
import Docker from 'dockerode';
import type { Page } from 'playwright-core';
import { launchBrowser, newPage, signIn } from '../../test/e2e/support/browser.ts';
import type { WharfEngine } from '../engines/wharf.ts';
import { median, pool } from '../lib/cli.ts';
import { duringLoop } from '../lib/loop-delay.ts';

export interface DashboardFigure { figure: string; value: number; unit: string; loopP99: number; loopMax: number }

/** Collects long tasks (over 50 ms, the browser's definition) from the page's own observer. */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { longest: number };
    w.longest = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.longest = Math.max(w.longest, e.duration); }).observe({ type: 'longtask', buffered: false });
  });
}

const longest = (page: Page) => page.evaluate(() => (window as unknown as { longest: number }).longest);

/**
 * Installed before each load: the moment the list shows all 1,000 it types a search, as a user
 * would, and notes when the list is filtered. Timed in the page itself: Playwright's own waits
 * poll with a back-off of up to 500 ms, which measured its polling more than the page.
 */
function timeListInPage(): void {
  if (location.pathname !== '/containers') return;
  const w = window as unknown as { listed?: number; filtered?: number };
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  const observer = new MutationObserver(() => {
    const table = document.querySelector('[data-resource-table=containers]');
    const text = table?.textContent ?? '';
    if (w.listed === undefined && text.includes('1000 containers')) {
      w.listed = performance.now();
      const search = table!.querySelector<HTMLInputElement>('[data-table-search]')!;
      setValue.call(search, 'many-777');
      search.dispatchEvent(new Event('input', { bubbles: true }));
    }
    if (w.listed !== undefined && text.includes('1 of 1000 containers')) {
      w.filtered = performance.now();
      observer.disconnect();
    }
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { subtree: true, childList: true, characterData: true }));
}

/** Milliseconds from the navigation's start until a search typed into the full list has filtered it. */
async function containersPage(wharf: WharfEngine, page: Page, rounds: number): Promise<number> {
  await page.addInitScript(timeListInPage);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    await page.goto(`${wharf.url}/containers`);
    const filtered = await page.waitForFunction(() => (window as unknown as { filtered?: number }).filtered, undefined, { timeout: 120_000 });
    times.push(Number(await filtered.jsonValue()));
    // The page shows what the search found: the one container, and a link to it.
    await page.locator('[data-resource-table=containers] [data-container-link=many-777]').waitFor();
  }
  return median(times);
}

async function followLogs(wharf: WharfEngine, page: Page, api: Docker): Promise<{ longestTask: number; heapMB: number; lagMs: number }> {
  // About 10,000 lines a second: 1,000 lines every 0.1 s, a million in all.
  const c = await api.createContainer({ name: 'bench-chatty', Image: 'busybox:latest', Cmd: ['sh', '-c', 'i=0; while [ $i -lt 1000 ]; do seq 1 1000; sleep 0.1; i=$((i+1)); done; echo chatty-done; exec sleep 3600'], HostConfig: { NetworkMode: 'none' } });
  await page.goto(`${wharf.url}/containers/${c.id}?tab=logs`);
  await page.locator('[data-log-viewer]').waitFor();
  await watchLongTasks(page);
  await c.start();
  const client = await page.context().newCDPSession(page);
  await client.send('Performance.enable');
  // The viewer shows the last line only once it has taken in all the million before it.
  // The container is done once its own log ends with the marker; then the viewer has two minutes.
  for (;;) {
    const tail = (await c.logs({ stdout: true, tail: 1 })).toString();
    if (tail.includes('chatty-done')) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const printed = Date.now();
  const caughtUp = await page.locator('[data-log-line]', { hasText: /^chatty-done$/ }).waitFor({ timeout: 120_000 }).then(() => true, () => false);
  const lagMs = caughtUp ? Date.now() - printed : Number.POSITIVE_INFINITY;
  const metrics = (await client.send('Performance.getMetrics')).metrics;
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  const result = { longestTask: await longest(page), heapMB: heap / 2 ** 20, lagMs };
  await c.remove({ force: true });
  return result;
}

async function keystrokeEcho(wharf: WharfEngine, page: Page, api: Docker, rounds: number): Promise<number> {
  const c = await api.createContainer({ name: 'bench-shell', Image: 'busybox:latest', Cmd: ['sleep', '3600'], HostConfig: { NetworkMode: 'none' } });
  await c.start();
  await page.goto(`${wharf.url}/containers/${c.id}?tab=console`);
  await page.click('[data-connect]');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-terminal] .xterm-rows > div')].some((row) => /[#$]\s*$/.test(row.textContent ?? '')));
  await page.locator('[data-terminal] textarea').focus();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const marker = String.fromCharCode(97 + (i % 26));
    const ms = await page.evaluate((ch) => new Promise<number>((resolve) => {
      const rows = document.querySelector('[data-terminal] .xterm-rows')!;
      const before = rows.textContent ?? '';
      const start = performance.now();
      const observer = new MutationObserver(() => {
        if ((rows.textContent ?? '') !== before) { observer.disconnect(); resolve(performance.now() - start); }
      });
      observer.observe(rows, { subtree: true, childList: true, characterData: true });
      document.querySelector<HTMLTextAreaElement>('[data-terminal] textarea')!.dispatchEvent(new InputEvent('input', { data: ch, inputType: 'insertText', bubbles: true }));
    }), marker);
    times.push(ms);
  }
  await c.remove({ force: true });
  return median(times);
}

export async function dashboard(wharf: WharfEngine, rounds = 5): Promise<{ figures: DashboardFigure[]; markdown: string }> {
  const api = new Docker({ socketPath: wharf.sock });
  await pool(Array.from({ length: 1000 }, (_v, i) => i), 8, (i) => api.createContainer({ name: `many-${i}`, Image: 'busybox:latest', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } }));
  const browser = await launchBrowser();
  const figures: DashboardFigure[] = [];
  try {
    const { page } = await newPage(browser);
    await signIn(page, wharf.url, wharf.admin.username, wharf.admin.password);
    const list = await duringLoop(wharf.url, () => containersPage(wharf, page, rounds));
    figures.push({ figure: 'containers page with 1,000 containers: load until a search filters it', value: list.result, unit: 'ms', loopP99: list.p99, loopMax: list.max });
    await pool(Array.from({ length: 1000 }, (_v, i) => i), 8, (i) => api.getContainer(`many-${i}`).remove({ force: true }));
    const logs = await duringLoop(wharf.url, () => followLogs(wharf, page, api));
    figures.push({ figure: 'log viewer following 10,000 lines/s: longest task', value: logs.result.longestTask, unit: 'ms', loopP99: logs.p99, loopMax: logs.max });
    figures.push({ figure: 'log viewer after 1,000,000 lines: tab JS heap', value: logs.result.heapMB, unit: 'MB', loopP99: logs.p99, loopMax: logs.max });
    // Infinity when the viewer had not shown the last line two minutes after the container printed it.
    figures.push({ figure: 'log viewer: last line shown after the container printed it', value: logs.result.lagMs, unit: 'ms', loopP99: logs.p99, loopMax: logs.max });
    const echo = await duringLoop(wharf.url, () => keystrokeEcho(wharf, page, api, 20));
    figures.push({ figure: 'console keystroke echo round trip', value: echo.result, unit: 'ms', loopP99: echo.p99, loopMax: echo.max });
    // The engine's whole footprint while its dashboard is in use: Next's page thread is loaded.
    const memory = (await wharf.memory()).totalBytes / 2 ** 20;
    figures.push({ figure: 'engine memory with the dashboard in use, after the figures above (RSS)', value: memory, unit: 'MB', loopP99: Number.NaN, loopMax: Number.NaN });
  } finally {
    await browser.close();
  }
  const lines = ['| figure | value | Wharf event-loop delay p99 / max (ms) |', '|---|---:|---:|'];
  for (const f of figures) lines.push(`| ${f.figure} | ${Number.isFinite(f.value) ? `${f.value.toFixed(f.value < 10 ? 1 : 0)} ${f.unit}` : 'not within 2 min'} | ${Number.isNaN(f.loopP99) ? '—' : `${f.loopP99.toFixed(1)} / ${f.loopMax.toFixed(1)}`} |`);
  return { figures, markdown: lines.join('\n') };
}
