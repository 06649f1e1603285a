/** Reading a big log back, and a big stream through attach. */
import { docker } from '../lib/cli.ts';
import { compare, type BenchContext } from '../lib/compare.ts';
import type { Engine } from '../engines/types.ts';

const LINES = 1_000_000;

async function inspectTimes(e: Engine, name: string): Promise<{ started: number; finished: number }> {
  const out = (await docker(e, ['inspect', '-f', '{{.State.StartedAt}} {{.State.FinishedAt}}', name])).out.trim().split(' ');
  return { started: Date.parse(out[0]!), finished: Date.parse(out[1]!) };
}

function expectLines(e: Engine, got: number, want: number, what: string): void {
  if (got !== want) throw new Error(`${e.name}: ${what} gave ${got} lines, not ${want}`);
}

export async function logs(ctx: BenchContext): Promise<void> {
  const since = new Map<string, string>();
  for (const e of ctx.engines) {
    await docker(e, ['run', '--name', 'bench-log', 'busybox', 'seq', '1', String(LINES)], { countOnly: true });
    const t = await inspectTimes(e, 'bench-log');
    // Half-way through the container's life: about half the log is newer.
    since.set(e.name, new Date((t.started + t.finished) / 2).toISOString());
  }
  await compare(ctx, `docker logs (${LINES.toLocaleString('en')} lines)`, Math.min(ctx.rounds, 5), async (e) => {
    const r = await docker(e, ['logs', 'bench-log'], { countOnly: true });
    expectLines(e, r.lines, LINES, 'docker logs');
    return r.ms;
  });
  await compare(ctx, 'docker logs --tail 10 (of it)', ctx.rounds, async (e) => {
    const r = await docker(e, ['logs', '--tail', '10', 'bench-log'], { countOnly: true });
    expectLines(e, r.lines, 10, 'docker logs --tail 10');
    return r.ms;
  });
  await compare(ctx, 'docker logs --since <middle> (of it)', Math.min(ctx.rounds, 5), async (e) => (await docker(e, ['logs', '--since', since.get(e.name)!, 'bench-log'], { countOnly: true })).ms);
  for (const e of ctx.engines) await docker(e, ['rm', 'bench-log']);
  await compare(ctx, `docker run --rm busybox seq 1 ${LINES} (attach stream)`, Math.min(ctx.rounds, 5), async (e) => {
    const r = await docker(e, ['run', '--rm', 'busybox', 'seq', '1', String(LINES)], { countOnly: true });
    expectLines(e, r.lines, LINES, 'run seq');
    return r.ms;
  });
}
