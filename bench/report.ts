/** The bench's results as a markdown table (stdout) and JSON (a file), with the machine they ran on. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname } from 'node:path';
import type { Row } from './lib/compare.ts';
import type { EngineName } from './lib/compare.ts';

export interface Machine { cpu: string; cores: number; memoryGB: number; kernel: string; cgroup: string; versions: Record<string, string> }

export async function describeMachine(versions: Record<string, string>): Promise<Machine> {
  const mounts = await readFile('/proc/self/mounts', 'utf8');
  const cgroup = /^\S+ \/sys\/fs\/cgroup cgroup2 /m.test(mounts) ? 'v2' : 'v1 (hybrid)';
  return { cpu: os.cpus()[0]?.model ?? '?', cores: os.cpus().length, memoryGB: Math.round(os.totalmem() / 2 ** 30), kernel: os.release(), cgroup, versions };
}

function format(value: number | undefined, unit: Row['unit']): string {
  if (value === undefined) return 'failed';
  if (unit === 'MB' || value >= 100) return value.toFixed(0);
  return value.toFixed(1);
}

/** Wharf's figure over the best (lowest) peer's: below 1 means Wharf leads. */
function ratio(row: Row, peers: EngineName[]): string {
  const w = row.values.wharf;
  const best = Math.min(...peers.map((p) => row.values[p] ?? Infinity));
  return w === undefined || !Number.isFinite(best) ? '–' : (w / best).toFixed(2);
}

export function markdown(rows: Row[], engines: EngineName[], machine: Machine): string {
  const peers = engines.filter((e) => e !== 'wharf');
  const head = `| figure | ${engines.map((e) => `${e} (${machine.versions[e] ?? '?'})`).join(' | ')} | wharf ÷ best peer |`;
  const lines = [head, `|---|${engines.map(() => '---:').join('|')}|---:|`];
  for (const row of rows) {
    const unit = row.unit === 'ms' ? ' (ms)' : '';
    lines.push(`| ${row.figure}${unit} | ${engines.map((e) => format(row.values[e], row.unit)).join(' | ')} | ${ratio(row, peers)} |`);
  }
  const notes = rows.filter((r) => r.errors).map((r) => `- ${r.figure}: ${Object.entries(r.errors!).map(([e, m]) => `${e}: ${m}`).join('; ')}`);
  const where = `${machine.cores} × ${machine.cpu}, ${machine.memoryGB} GB, Linux ${machine.kernel}, cgroup ${machine.cgroup}`;
  return [`Medians of alternating runs with the stock docker CLI (${machine.versions.cli ?? '?'}), on ${where}.`, '', ...lines, ...(notes.length ? ['', 'Failures:', ...notes] : [])].join('\n');
}

export async function writeJson(file: string, data: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
}
