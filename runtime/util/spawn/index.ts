import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { nodeSpawn, nodeStart } from './node.ts';
import { PosixSpawner, type PosixSpawnAddon } from './posix.ts';
import type { LiveProcess, SpawnFailure, SpawnRequest, Spawned, StartRequest, StdioPipes } from './types.ts';

export type { Exit, LiveProcess, SpawnRequest, Spawned } from './types.ts';

/** Why the addon did not load on the main thread, if it did not. */
export let spawnAddonError: string | undefined;

function loadAddon(): PosixSpawnAddon | undefined {
  // Exits are collected at SIGCHLD, which only the main thread can watch.
  if (!isMainThread) return undefined;
  try {
    return createRequire(import.meta.url)('wharf-posix-spawn') as PosixSpawnAddon;
  } catch (e) {
    spawnAddonError = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    return undefined;
  }
}

const addon = loadAddon();
const posix = addon && new PosixSpawner(addon);

/** How this thread starts helper processes: `posix_spawn`, or Node's `fork` where the addon cannot load. */
export const spawnMethod: 'posix_spawn' | 'fork' = posix ? 'posix_spawn' : 'fork';

/** Starts a helper process and collects how it ends (or, for a monitor, its first report). */
export function spawnHelper(r: SpawnRequest): Promise<Spawned> {
  return posix ? posix.spawn(r) : nodeSpawn(r);
}

/** Starts a process with pipes for its stdin and output (or /dev/null for those not asked for). */
export function startHelper(r: StartRequest, stdio: StdioPipes): Promise<LiveProcess | SpawnFailure> {
  return posix ? posix.start(r, stdio) : nodeStart(r, stdio);
}
