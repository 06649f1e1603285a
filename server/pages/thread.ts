import http from 'node:http';
import { rm } from 'node:fs/promises';
import { SHARE_ENV, type Worker } from 'node:worker_threads';
import { spawnWorker } from '../../runtime/index.ts';
import { proxyRequest } from './proxy.ts';
import type { PageThreadData, PageThreadMessage } from './thread-protocol.ts';
import type { Pages, PagesOptions } from './types.ts';

const ENTRY = { source: './thread-entry.ts', bundled: 'pages-thread.mjs' };

/**
 * Next in a worker thread of this process, started at the first request for a page or an
 * asset. Next's server code is over a hundred megabytes once loaded, so an engine nobody has
 * opened the dashboard of (driven by the docker CLI or compose alone) never carries it; and
 * loading it, which blocks whatever thread does it for most of a second, no longer stalls every
 * other request. Requests that arrive meanwhile wait for the one start; a thread that fails
 * to start or dies later is started again by the next request.
 */
export function threadPages(opts: PagesOptions & { socketPath: string }): Pages {
  // A connection per request: a unix socket connects in microseconds, and no idle connection
  // can be closed by the page thread just as it is reused (a failed asset, a page never hydrated).
  const agent = new http.Agent({ keepAlive: false });
  let worker: Worker | undefined;
  let ready: Promise<void> | undefined;
  let serving = false;
  const start = (): Promise<void> => (ready ??= new Promise<void>((resolve, reject) => {
    const data: PageThreadData = { dir: opts.dir, hostname: opts.hostname, port: opts.port, socketPath: opts.socketPath };
    // The shared environment carries what the server set after its own start (WHARF_INTERNAL_ORIGIN).
    const w = spawnWorker(import.meta.url, ENTRY, { workerData: data, env: SHARE_ENV });
    worker = w;
    w.once('message', (m: PageThreadMessage) => {
      if (!m.ready) return reject(new Error(`the dashboard's pages could not start: ${m.error}`));
      serving = true;
      resolve();
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      reject(new Error(`the dashboard's page thread exited (${code})`));
      if (worker !== w) return;
      worker = undefined;
      serving = false;
      ready = undefined;
    });
  }).catch((err: unknown) => {
    ready = undefined;
    void worker?.terminate();
    throw err;
  }));
  return {
    state: () => (serving ? 'ready' : ready ? 'loading' : 'unloaded'),
    handle: async (req, res) => {
      await start();
      await proxyRequest(agent, opts.socketPath, req, res);
    },
    // Production Next serves no websocket (hot reload is development's).
    upgrade: async (_req, socket) => { socket.destroy(); },
    close: async () => {
      const w = worker;
      worker = undefined;
      serving = false;
      agent.destroy();
      await w?.terminate();
      await rm(opts.socketPath, { force: true });
    },
  };
}
