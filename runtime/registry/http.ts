import { Agent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';

export type { Response } from 'undici';

/** How long a registry may stay silent before a request fails instead of hanging. */
const CONNECT_TIMEOUT_MS = 30_000;
const SILENCE_TIMEOUT_MS = 120_000;

/**
 * The engine's own HTTP client for everything it fetches from outside (registries, token
 * servers). It never goes through the process-wide `fetch`: a UI framework in the same
 * process may replace that global (Next.js does, to cache and trace server-side fetches), and
 * responses of the replaced one could not even be cancelled, so pulls and pushes hung. One
 * connection pool per engine, closed with it.
 */
export class HttpClient {
  private readonly agent = new Agent({
    connect: { timeout: CONNECT_TIMEOUT_MS },
    headersTimeout: SILENCE_TIMEOUT_MS,
    bodyTimeout: SILENCE_TIMEOUT_MS,
  });

  fetch(url: URL | string, init: RequestInit = {}): Promise<Response> {
    return undiciFetch(url, { ...init, dispatcher: this.agent });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
