/** Container lifecycle as the CLI drives it: run, list, inspect, exec, stats, stop, remove. */
import { docker } from '../lib/cli.ts';
import { compare, compareSliced, record, type BenchContext } from '../lib/compare.ts';

// `sleep & wait`: a shell runs a trap only once its foreground command ends, so with a plain
// `sleep` every stop also waited for the rest of it and the figure measured the sleep, not the
// engine. `wait` is interrupted by the trapped signal. A long sleep: three hundred idle
// containers starting a process every second would load the machine under every figure.
const TRAP = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done'];
const MB = 1024 * 1024;

export async function lifecycle(ctx: BenchContext): Promise<void> {
  const { rounds } = ctx;
  await compare(ctx, 'docker run --rm busybox true (default network)', rounds, async (e) => (await docker(e, ['run', '--rm', 'busybox', 'true'])).ms);
  await compare(ctx, 'docker run --rm busybox true (--network none)', rounds, async (e) => (await docker(e, ['run', '--rm', '--network', 'none', 'busybox', 'true'])).ms);
  // Idle containers that exit at TERM, so stop measures the engine rather than a 10 s timeout.
  await compareSliced(ctx, 'docker run -d ×100 (total)', 100, 10, async (e, i) => (await docker(e, ['run', '-d', '--name', `bench-${i}`, 'busybox', ...TRAP])).ms);
  await compare(ctx, 'docker ps -a (100 containers)', rounds, async (e) => (await docker(e, ['ps', '-a'])).ms);
  await compare(ctx, 'docker ps -a -s (100 containers)', rounds, async (e) => (await docker(e, ['ps', '-a', '-s'])).ms);
  await compare(ctx, 'docker inspect c', rounds, async (e) => (await docker(e, ['inspect', 'bench-0'])).ms);
  await compare(ctx, 'docker exec c true', rounds, async (e) => (await docker(e, ['exec', 'bench-0', 'true'])).ms);
  await compare(ctx, 'docker stats --no-stream (100 running)', rounds, async (e) => (await docker(e, ['stats', '--no-stream'])).ms);
  const memory: Record<string, number> = {};
  for (const e of ctx.engines) memory[e.name] = (await e.memory()).totalBytes / MB;
  record(ctx, 'engine memory, 100 running containers (RSS, MB)', 'MB', memory);
  await compareSliced(ctx, 'docker stop ×100 (total)', 100, 10, async (e, i) => (await docker(e, ['stop', `bench-${i}`])).ms);
  await compareSliced(ctx, 'docker rm ×100 (total)', 100, 10, async (e, i) => (await docker(e, ['rm', `bench-${i}`])).ms);
}

/** Memory of each engine with no container, before anything else ran. */
export async function idleMemory(ctx: BenchContext): Promise<void> {
  const memory: Record<string, number> = {};
  for (const e of ctx.engines) memory[e.name] = (await e.memory()).totalBytes / MB;
  record(ctx, 'engine memory, idle (RSS, MB)', 'MB', memory);
}
