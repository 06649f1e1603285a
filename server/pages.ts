import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export interface PagesOptions { dev: boolean; dir: string; hostname: string; port: number }

/** The dashboard's pages: Next's server, loaded at the first request that needs it. */
export interface Pages {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Upgrades that are not socket.io's (hot reload in development). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  close(): Promise<void>;
}

type NextApp = ReturnType<typeof import('next').default>;

/**
 * Next's server code (its router, renderers and the built pages' server bundles) is over
 * a hundred megabytes resident once loaded. An engine that nobody has opened the dashboard of
 * (servers driven by the docker CLI or compose alone) should not carry it, so Next is imported
 * and prepared when the first page or asset is asked for. That request waits for it (about a
 * second, once); concurrent first requests share one preparation, and a failed preparation
 * is tried again by the next request.
 */
export function lazyPages(opts: PagesOptions): Pages {
  let app: NextApp | undefined;
  let ready: Promise<NextApp> | undefined;
  const load = (): Promise<NextApp> => (ready ??= (async () => {
    const { default: next } = await import('next');
    const created = next({ dev: opts.dev, dir: opts.dir, hostname: opts.hostname, port: opts.port });
    await created.prepare();
    app = created;
    return created;
  })().catch((err: unknown) => {
    ready = undefined;
    throw err;
  }));
  return {
    handle: async (req, res) => (await load()).getRequestHandler()(req, res),
    upgrade: async (req, socket, head) => (await load()).getUpgradeHandler()(req, socket, head),
    close: async () => {
      await ready?.catch(() => undefined);
      await app?.close();
    },
  };
}
