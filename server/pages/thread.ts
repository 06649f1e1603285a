import http from 'node:http';
import { rm } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../runtime/index.ts';
import { proxyRequest } from './proxy.ts';
import type { PageThreadData, PageThreadMessage } from './thread-protocol.ts';
import type { Pages, PagesOptions } from './types.ts';

const ENTRY = { source: './thread-entry.ts', bundled: 'pages-thread.mjs' };

/**
 * The page thread's young generation (its semi-spaces are a third of it). V8's default grows it
 * to 48 MB, which a renderer of small pages fills with garbage and keeps resident: at 6 MB the
 * engine held about 22 MB less after the first pages, and pages rendered as fast (medians of
 * 25 renders of four pages within 2 ms of each other).
 */
const YOUNG_GENERATION_MB = 6;

export interface ThreadPagesOptions extends PagesOptions {
  /** Where the page thread listens; each thread started gets its own name beside it. */
  socketPath: string;
  /** A thread that has answered no request for this long is stopped; null: never. */
  idleMs: number | null;
}

/**
 * Next in a worker thread of this process, started at the first request for a page or an
 * asset. Next's server code is about a hundred megabytes once loaded, so an engine nobody has
 * opened the dashboard of (driven by the docker CLI or compose alone) never carries it; and
 * loading it, which blocks whatever thread does it for most of a second, no longer stalls every
 * other request. Requests that arrive meanwhile wait for the one start; a thread that fails
 * to start or dies later is started again by the next request.
 *
 * An open dashboard needs the thread only to navigate: its data and live updates come from the
 * server's own thread. So a thread that has served nothing for `idleMs` is stopped and the
 * engine returns to its idle footprint; the next page request starts it again.
 */
export function threadPages(opts: ThreadPagesOptions): Pages {
  // A connection per request: a unix socket connects in microseconds, and no idle connection
  // can be closed by the page thread just as it is reused (a failed asset, a page never hydrated).
  const agent = new http.Agent({ keepAlive: false });
  /** The thread started last, and its end: exited, its socket's name removed. */
  let current: { worker: Worker; gone: Promise<void> } | undefined;
  /** The socket of a thread that is serving, once it is. */
  let ready: Promise<string> | undefined;
  let serving = false;
  let generation = 0;
  let inFlight = 0;
  let idleTimer: NodeJS.Timeout | undefined;

  const forget = (w: Worker | undefined): void => {
    if (current?.worker !== w) return;
    current = undefined;
    serving = false;
    ready = undefined;
  };
  const start = (): Promise<string> => (ready ??= new Promise<string>((resolve, reject) => {
    // A stopping thread removes its socket as it closes: the next one must not share its name.
    const socketPath = `${opts.socketPath}.${++generation}`;
    const data: PageThreadData = { dir: opts.dir, hostname: opts.hostname, port: opts.port, socketPath };
    // A copy of the environment as it is now, after the server's start set WHARF_INTERNAL_ORIGIN
    // (a page request arrives only once the server listens). What the thread sets for Next stays
    // in the thread, out of the environment of every process the engine starts.
    const w = spawnWorker(import.meta.url, ENTRY, { workerData: data, env: { ...process.env }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    // A thread that was stopped or died leaves its socket's name behind.
    const gone = new Promise((exited) => w.once('exit', exited)).then(() => rm(socketPath, { force: true })).catch(() => undefined);
    current = { worker: w, gone };
    w.once('message', (m: PageThreadMessage) => {
      if (!m.ready) return reject(new Error(`the dashboard's pages could not start: ${m.error}`));
      serving = true;
      resolve(socketPath);
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      reject(new Error(`the dashboard's page thread exited (${code})`));
      forget(w);
    });
  }).catch((err: unknown) => {
    ready = undefined;
    void current?.worker.terminate();
    throw err;
  }));
  const stop = async (): Promise<void> => {
    const stopping = current;
    forget(stopping?.worker);
    await stopping?.worker.terminate();
    await stopping?.gone;
  };
  const armIdle = (): void => {
    if (opts.idleMs === null || inFlight > 0) return;
    clearTimeout(idleTimer);
    // Unref'd: an idle timer never keeps a stopping server alive. A request clears it.
    idleTimer = setTimeout(() => { if (serving) void stop(); }, opts.idleMs).unref();
  };

  return {
    state: () => (serving ? 'ready' : ready ? 'loading' : 'unloaded'),
    handle: async (req, res) => {
      inFlight++;
      clearTimeout(idleTimer);
      try {
        await proxyRequest(agent, await start(), req, res);
      } finally {
        inFlight--;
        armIdle();
      }
    },
    // Production Next serves no websocket (hot reload is development's).
    upgrade: async (_req, socket) => { socket.destroy(); },
    close: async () => {
      clearTimeout(idleTimer);
      agent.destroy();
      await stop();
    },
  };
}
