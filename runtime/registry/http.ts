import { Agent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';
import { rootCertificates } from 'node:tls';
import { readRegistryTLS, type RegistryTLS } from './tls.ts';

export type { Response } from 'undici';

/** How long a registry may stay silent before a request fails instead of hanging. */
const CONNECT_TIMEOUT_MS = 30_000;
const SILENCE_TIMEOUT_MS = 120_000;

export interface HttpClientOptions {
  /** Directories holding `<host>/ca.crt`, `client.cert`, `client.key` (Docker's certs.d layout). */
  certDirs?: readonly string[];
}

/**
 * The engine's own HTTP client for everything it fetches from outside (registries, token
 * servers). It never goes through the process-wide `fetch`: a UI framework in the same
 * process may replace that global (Next.js does, to cache and trace server-side fetches), and
 * responses of the replaced one could not even be cancelled, so pulls and pushes hung.
 * One connection pool per host that has its own TLS material, one for the rest; all closed with the engine.
 */
export class HttpClient {
  private readonly agents = new Map<string, Promise<{ agent: Agent; tls?: RegistryTLS }>>();
  private readonly certDirs: readonly string[];

  constructor(opts: HttpClientOptions = {}) {
    this.certDirs = opts.certDirs ?? [];
  }

  async fetch(url: URL | string, init: RequestInit = {}): Promise<Response> {
    const { agent } = await this.agentFor(new URL(url).host);
    return undiciFetch(url, { ...init, dispatcher: agent });
  }

  /** Whether TLS material is configured for `host` (a registry with certs.d speaks HTTPS even on loopback). */
  async hasTLS(host: string): Promise<boolean> {
    return (await this.agentFor(host)).tls !== undefined;
  }

  private agentFor(host: string): Promise<{ agent: Agent; tls?: RegistryTLS }> {
    let entry = this.agents.get(host);
    if (!entry) {
      entry = readRegistryTLS(this.certDirs, host).then((tls) => ({ tls, agent: newAgent(tls) }));
      this.agents.set(host, entry);
    }
    return entry;
  }

  async close(): Promise<void> {
    const all = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(all.map(async (e) => (await e).agent.close()));
  }
}

function newAgent(tls: RegistryTLS | undefined): Agent {
  const custom = tls && {
    // Custom CAs add to the system's, as Docker's certs.d does.
    ...(tls.ca.length ? { ca: [...rootCertificates, ...tls.ca.map(String)] } : {}),
    ...(tls.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
  };
  return new Agent({
    connect: { timeout: CONNECT_TIMEOUT_MS, ...custom },
    headersTimeout: SILENCE_TIMEOUT_MS,
    bodyTimeout: SILENCE_TIMEOUT_MS,
  });
}
