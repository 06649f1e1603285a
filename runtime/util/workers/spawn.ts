import { Worker, type WorkerOptions } from 'node:worker_threads';

/** A worker's entry module: its file beside the caller in the sources, and its name in the server's bundle. */
export interface WorkerEntry { source: string; bundled: string }

/**
 * A worker thread running `entry`, resolved against the caller's `import.meta.url`. In the
 * server's bundle (scripts/build-server.ts) each entry is bundled beside it. From the
 * TypeScript sources (tests), Node 20 does not carry the parent's module hooks into a worker,
 * so the worker registers the TypeScript loader itself before it imports the entry.
 */
export function spawnWorker(callerUrl: string, entry: WorkerEntry, options: WorkerOptions = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${entry.bundled}`, callerUrl), options);
  const code = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL(entry.source, callerUrl).href)}); });`;
  return new Worker(code, { ...options, eval: true });
}
