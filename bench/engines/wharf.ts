/** Wharf as `npm start` composes it (engine, Docker API and dashboard in one process). */
import { join } from 'node:path';
import { startWharf } from '../../test/helpers/wharf-server.ts';
import { engineMemory } from '../lib/memory.ts';
import type { Engine, EngineOptions } from './types.ts';

export interface WharfEngine extends Engine {
  /** The dashboard's base URL and its first administrator, for the browser figures. */
  url: string;
  admin: { username: string; password: string };
}

const ADMIN = { username: 'admin', password: 'bench password, long enough' };

export async function startWharfEngine(opts: EngineOptions): Promise<WharfEngine> {
  // 127.0.0.0/8 registries are plain HTTP for Wharf as for dockerd: nothing to configure.
  const wharf = await startWharf('bench', { WHARF_ADMIN_PASSWORD: ADMIN.password });
  return {
    name: 'wharf',
    sock: wharf.socket,
    url: wharf.url,
    admin: ADMIN,
    cliConfig: join(opts.dir, 'cli-wharf'),
    memory: () => engineMemory(wharf.dir, [wharf.pid]),
    stop: async () => {
      const left = await wharf.stop();
      const remains = Object.entries(left).filter(([, v]) => Array.isArray(v) && v.length > 0);
      if (remains.length) console.error(`wharf left behind: ${JSON.stringify(Object.fromEntries(remains))}`);
    },
  };
}
