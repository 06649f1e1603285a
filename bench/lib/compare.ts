/** Figures measured on every engine, alternating which goes first, reduced to medians or totals. */
import type { Engine } from '../engines/types.ts';
import { median } from './cli.ts';

export type EngineName = Engine['name'];

export interface Row {
  figure: string;
  unit: 'ms' | 'MB';
  /** Median (or total) per engine; absent when the engine failed the figure (see `errors`). */
  values: Partial<Record<EngineName, number>>;
  errors?: Partial<Record<EngineName, string>>;
}

export interface BenchContext {
  engines: Engine[];
  rounds: number;
  dir: string;
  /** `127.0.0.1:port` of the bench's registry. */
  registry: string;
  rows: Row[];
}

/**
 * Times `fn` `n` times on each engine, rotating the order every round so that no engine
 * always runs right after another's burst. An engine that fails is reported, not fatal.
 */
async function rounds(ctx: BenchContext, n: number, fn: (e: Engine, i: number) => Promise<number>): Promise<{ times: Map<EngineName, number[]>; errors: Row['errors'] }> {
  const times = new Map<EngineName, number[]>(ctx.engines.map((e) => [e.name, []]));
  const errors: Row['errors'] = {};
  for (let i = 0; i < n; i++) {
    const shift = i % ctx.engines.length;
    const order = [...ctx.engines.slice(shift), ...ctx.engines.slice(0, shift)];
    for (const e of order) {
      if (errors[e.name]) continue;
      try {
        times.get(e.name)!.push(await fn(e, i));
      } catch (err) {
        errors[e.name] = (err as Error).message.split('\n')[0]!.slice(0, 300);
      }
    }
  }
  return { times, errors };
}

/** Each engine's figures reduced to one value (engines that failed have none), recorded and printed. */
function report(ctx: BenchContext, figure: string, unit: Row['unit'], measured: Awaited<ReturnType<typeof rounds>>, reduce: (xs: number[]) => number): Row {
  const { times, errors } = measured;
  const values: Row['values'] = {};
  for (const [name, xs] of times) if (xs.length && !errors?.[name]) values[name] = reduce(xs);
  const row: Row = { figure, unit, values, ...(errors && Object.keys(errors).length ? { errors } : {}) };
  ctx.rows.push(row);
  console.error(`bench: ${figure}: ${JSON.stringify(values)}${row.errors ? ` errors ${JSON.stringify(row.errors)}` : ''}`);
  return row;
}

/** The median of `n` timings of `fn` on each engine, in rotating order. */
export async function compare(ctx: BenchContext, figure: string, n: number, fn: (e: Engine, i: number) => Promise<number>, unit: Row['unit'] = 'ms'): Promise<Row> {
  return report(ctx, figure, unit, await rounds(ctx, n, fn), median);
}

/**
 * A total over `count` steps per engine (`fn(e, i)` times step i), taken in slices that rotate
 * which engine goes first. Each engine's steps then run beside the same number of the others'
 * containers: one engine's hundred starts or stops all at once would meet an idle machine for
 * the first engine and a crowded one for the last.
 */
export async function compareSliced(ctx: BenchContext, figure: string, count: number, slices: number, fn: (e: Engine, i: number) => Promise<number>): Promise<Row> {
  const per = Math.ceil(count / slices);
  const measured = await rounds(ctx, slices, async (e, s) => {
    let total = 0;
    for (let i = s * per; i < Math.min(count, (s + 1) * per); i++) total += await fn(e, i);
    return total;
  });
  return report(ctx, figure, 'ms', measured, (xs) => xs.reduce((a, b) => a + b, 0));
}

/** One figure per engine measured once, e.g. memory. */
export function record(ctx: BenchContext, figure: string, unit: Row['unit'], values: Row['values']): void {
  ctx.rows.push({ figure, unit, values });
  console.error(`bench: ${figure}: ${JSON.stringify(values)}`);
}
