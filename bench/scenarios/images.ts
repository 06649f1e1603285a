/** Pull from a local registry into an empty store, and a cached rebuild with the classic builder. */
import { randomBytes } from 'node:crypto';
import tar from 'tar-stream';
import { writeBuildContext } from '../build-context.ts';
import { docker } from '../lib/cli.ts';
import { compare, type BenchContext } from '../lib/compare.ts';
import type { Engine } from '../engines/types.ts';

async function randomTar(bytes: number): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name: 'data.bin', size: bytes }, randomBytes(bytes));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function pull(ctx: BenchContext, wharf: Engine, mb = 50): Promise<void> {
  // One layer of incompressible bytes, imported into Wharf and pushed to the bench's registry.
  const image = `${ctx.registry}/bench/random:${mb}mb`;
  await docker(wharf, ['import', '-', image], { input: await randomTar(mb * 1024 * 1024) });
  await docker(wharf, ['push', image], { countOnly: true });
  for (const e of ctx.engines) await docker(e, ['rmi', image]).catch(() => undefined);
  await compare(ctx, `docker pull of a ${mb} MB image from a local registry (empty store)`, Math.min(ctx.rounds, 5), async (e) => {
    const r = await docker(e, ['pull', '-q', image]);
    await docker(e, ['rmi', image]);
    return r.ms;
  });
}

export async function build(ctx: BenchContext): Promise<void> {
  const context = await writeBuildContext(ctx.dir);
  const classic = { env: { DOCKER_BUILDKIT: '0' } };
  for (const e of ctx.engines) await docker(e, ['build', '-q', '-t', 'bench-build', context], classic);
  await compare(ctx, 'docker build, cached rebuild (10 steps)', ctx.rounds, async (e) => {
    const r = await docker(e, ['build', '-t', 'bench-build', context], classic);
    // Every step from the cache, or the figure would measure a build instead of a rebuild.
    if (!/Using cache/.test(r.out)) throw new Error(`${e.name}: the rebuild did not use the cache`);
    return r.ms;
  });
}
