/** A thousand containers: listing them and `system df`, as a dashboard's home page asks. */
import Docker from 'dockerode';
import { docker, pool } from '../lib/cli.ts';
import { compare, type BenchContext } from '../lib/compare.ts';

export async function many(ctx: BenchContext, count = 1000): Promise<void> {
  for (const e of ctx.engines) {
    const api = new Docker({ socketPath: e.sock });
    const started = Date.now();
    await pool(Array.from({ length: count }, (_v, i) => i), 8, (i) => api.createContainer({ name: `many-${i}`, Image: 'busybox:latest', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } }));
    console.error(`bench: ${e.name}: created ${count} containers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await compare(ctx, `docker ps -a (${count} containers)`, ctx.rounds, async (e) => (await docker(e, ['ps', '-a'], { countOnly: true })).ms);
  await compare(ctx, `docker system df (${count} containers)`, Math.min(ctx.rounds, 5), async (e) => (await docker(e, ['system', 'df'])).ms);
  for (const e of ctx.engines) {
    await docker(e, ['container', 'prune', '-f']).catch(async () => {
      const api = new Docker({ socketPath: e.sock });
      await pool(Array.from({ length: count }, (_v, i) => i), 8, (i) => api.getContainer(`many-${i}`).remove({ force: true }).catch(() => undefined));
    });
  }
}
