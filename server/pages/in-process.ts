import type { Pages, PagesOptions } from './types.ts';

type NextApp = ReturnType<typeof import('next').default>;

/**
 * Next on the server's own thread, for development: its hot reload answers websocket upgrades
 * and recompiles in this process. Imported and prepared at the first request that needs it;
 * concurrent first requests share one preparation, and a failed one is tried again by the next.
 */
export function inProcessPages(opts: PagesOptions): Pages {
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
    state: () => (app ? 'ready' : ready ? 'loading' : 'unloaded'),
    handle: async (req, res) => (await load()).getRequestHandler()(req, res),
    upgrade: async (req, socket, head) => (await load()).getUpgradeHandler()(req, socket, head),
    close: async () => {
      await ready?.catch(() => undefined);
      await app?.close();
    },
  };
}
