/**
 * Bundles the server (engine, Docker API, dashboard API) into `dist/server.mjs`, with its
 * worker threads' entries (the tree-size walker, the stats counters' reader, the json-file log
 * conversions, the dashboard's page thread) beside it.
 * npm packages stay outside the bundle and load from node_modules.
 *
 * Why a bundle: running the TypeScript sources through tsx costs Node 20 a loader thread
 * with its own V8 heap plus the transformed sources and their maps, about 30 MB of an
 * engine's idle memory and seconds of each start. The dashboard's pages are built by Next
 * separately (`next build`).
 *
 * Every file is written beside its final name and renamed over it, so concurrent builds (test
 * files each make sure the bundle is current) never let a server start from half a file.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_BUNDLE = join(repoRoot, 'dist', 'server.mjs');

export async function buildServer(): Promise<string> {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: { server: 'server/index.ts', 'tree-size-worker': 'runtime/util/workers/tree-size-worker.ts', 'pages-thread': 'server/pages/thread-entry.ts',
      'text-reader-worker': 'runtime/util/workers/text-reader-worker.ts', 'log-convert-worker': 'runtime/tasks/logs/convert-worker.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    write: false,
    logLevel: 'warning',
  });
  for (const file of result.outputFiles) {
    await mkdir(dirname(file.path), { recursive: true });
    const temp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.${Math.random().toString(36).slice(2)}`);
    await writeFile(temp, file.contents);
    await rename(temp, file.path);
  }
  return SERVER_BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildServer();
}
