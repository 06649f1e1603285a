/**
 * Wharf beside Debian's dockerd and Debian's podman (through `podman system service`): the
 * same stock docker CLI and the same busybox image against each, alternating runs, medians,
 * and Wharf's figure over the best peer's. Prints a markdown table; writes JSON too.
 *
 *   npm run bench -- [--rounds N] [--engines wharf,dockerd,podman] [--only lifecycle,logs,many,images,dashboard] [--json FILE]
 *
 * Missing engines and the registry are installed from Debian's packages. Each engine runs on a
 * private data root, socket and bridge; everything started here is removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../test/helpers/registry.ts';
import { startDockerdEngine } from './engines/dockerd.ts';
import { startPodmanEngine } from './engines/podman.ts';
import type { Engine } from './engines/types.ts';
import { startWharfEngine, type WharfEngine } from './engines/wharf.ts';
import { docker } from './lib/cli.ts';
import type { BenchContext, EngineName } from './lib/compare.ts';
import { describeMachine, markdown, writeJson } from './report.ts';
import { dashboard } from './scenarios/dashboard.ts';
import { build, pull } from './scenarios/images.ts';
import { idleMemory, lifecycle } from './scenarios/lifecycle.ts';
import { logs } from './scenarios/logs.ts';
import { many } from './scenarios/many.ts';

const arg = (name: string): string | undefined => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const rounds = Number(arg('--rounds')) || 7;
const names = (arg('--engines') ?? 'wharf,dockerd,podman').split(',') as EngineName[];
const only = new Set((arg('--only') ?? 'lifecycle,logs,many,images,dashboard').split(','));
const jsonFile = arg('--json') ?? join(import.meta.dirname, '..', 'test-output', 'bench.json');
if (!names.includes('wharf')) throw new Error('--engines must include wharf');

const dir = await mkdtemp(join(tmpdir(), 'wharf-bench-'));
const engines: Engine[] = [];
let registry: TestRegistry | undefined;
let cleaned: Promise<void> | undefined;
const cleanUp = (): Promise<void> => (cleaned ??= (async () => {
  for (const e of [...engines].reverse()) await e.stop().catch((err: Error) => console.error(`bench: stopping ${e.name}: ${err.message}`));
  await registry?.stop();
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
})());
// Interrupted or timed out: the engines, their bridges and mounts still go.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { console.error(`bench: ${signal}, cleaning up`); void cleanUp().then(() => process.exit(130)); });
}
try {
  registry = await startRegistry();
  const opts = { dir, registry: registry.host };
  const starters = { wharf: startWharfEngine, dockerd: startDockerdEngine, podman: startPodmanEngine };
  for (const name of names) engines.push(await starters[name](opts));
  const wharf = engines[0] as WharfEngine;
  // The same image everywhere: Wharf's busybox, saved once and loaded into the others.
  const archive = join(dir, 'busybox.tar');
  await docker(wharf, ['save', '-o', archive, 'busybox:latest']);
  for (const e of engines.slice(1)) await docker(e, ['load', '-i', archive]);
  const versions: Record<string, string> = { cli: (await docker(wharf, ['version', '-f', '{{.Client.Version}}'])).out.trim() };
  for (const e of engines) versions[e.name] = (await docker(e, ['version', '-f', '{{.Server.Version}}'])).out.trim();

  const ctx: BenchContext = { engines, rounds, dir, registry: registry.host, rows: [] };
  await idleMemory(ctx);
  if (only.has('lifecycle')) await lifecycle(ctx);
  if (only.has('logs')) await logs(ctx);
  if (only.has('many')) await many(ctx);
  if (only.has('images')) { await pull(ctx, wharf); await build(ctx); }
  const browser = only.has('dashboard') ? await dashboard(wharf) : undefined;

  const machine = await describeMachine(versions);
  console.log(markdown(ctx.rows, names, machine));
  if (browser) console.log(`\nDashboard (headless Chromium, Wharf only):\n\n${browser.markdown}`);
  await writeJson(jsonFile, { date: new Date().toISOString(), rounds, machine, rows: ctx.rows, dashboard: browser?.figures });
  console.error(`bench: JSON written to ${jsonFile}`);
} finally {
  await cleanUp();
}
