/** Debian's dockerd (and the containerd it starts) on a private data root, socket and bridge. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDockerd, startDockerd } from '../../test/helpers/dockerd.ts';
import { engineMemory } from '../lib/memory.ts';
import type { Engine, EngineOptions } from './types.ts';

export async function startDockerdEngine(opts: EngineOptions): Promise<Engine> {
  const why = await ensureDockerd();
  if (why) throw new Error(`dockerd is not available: ${why}`);
  const dir = join(opts.dir, 'dockerd');
  await mkdir(dir, { recursive: true });
  // 127.0.0.0/8 is an insecure registry for dockerd by default.
  const d = await startDockerd(dir, 'overlay2');
  if (typeof d === 'string') throw new Error(d);
  return {
    name: 'dockerd',
    sock: d.sock,
    cliConfig: join(opts.dir, 'cli-dockerd'),
    // dockerd, containerd and every containerd-shim-runc-v2 name the private directory.
    memory: () => engineMemory(dir),
    stop: d.stop,
  };
}
