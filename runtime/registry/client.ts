import { Readable } from 'node:stream';
import { NotFoundError, UnauthenticatedError, UnavailableError } from '../errors.ts';
import { basicHeader, fetchToken, parseChallenge, type Credentials } from './auth.ts';
import { apiHost, registryBaseURL } from './hosts.ts';
import type { HttpClient, Response } from './http.ts';
import { abortError } from './abort.ts';

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  /** Statuses the caller handles itself; anything else not 2xx becomes an error. */
  accept?: number[];
  signal?: AbortSignal;
}

/** The registry could not be reached at all (DNS, connection, TLS), as opposed to answering an error. */
export class RegistryUnreachableError extends UnavailableError {}

/**
 * One repository on one registry, speaking the OCI distribution API. Authenticates once:
 * anonymous first, then whatever the `/v2/` challenge asks for (Bearer token or Basic).
 * `scopes` are extra token scopes (a cross-repository mount needs pull on the source).
 */
export class RegistryClient {
  private baseURL?: string;
  private authorization?: string;
  private authenticated = false;

  constructor(
    private readonly http: HttpClient,
    readonly domain: string,
    readonly repository: string,
    private readonly creds?: Credentials,
    private readonly actions = 'pull',
    private readonly scopes: readonly string[] = [],
  ) {}

  get base(): string {
    if (!this.baseURL) throw new Error('RegistryClient.base read before authenticate()');
    return this.baseURL;
  }

  async authenticate(signal?: AbortSignal): Promise<void> {
    if (this.authenticated) return;
    this.baseURL = registryBaseURL(this.domain, process.env, await this.http.hasTLS(apiHost(this.domain)));
    const res = await this.send('GET', '/v2/', { signal });
    await res.body?.cancel();
    if (res.status === 401) {
      const ch = parseChallenge(res.headers.get('www-authenticate') ?? '');
      if (ch.scheme === 'bearer') {
        const scopes = [`repository:${this.repository}:${this.actions}`, ...this.scopes];
        this.authorization = `Bearer ${await fetchToken(this.http, ch, scopes, this.creds)}`;
      } else if (ch.scheme === 'basic' && this.creds?.username) {
        this.authorization = basicHeader(this.creds);
      } else {
        throw new UnauthenticatedError(`unauthorized: ${this.domain} requires authentication`);
      }
    } else if (!res.ok && res.status !== 404) {
      throw new UnavailableError(`registry ${this.domain} answered ${res.status} to /v2/`);
    }
    this.authenticated = true;
  }

  /** A request under `/v2/<repository>/`, or to an absolute upload location. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    await this.authenticate(opts.signal);
    const url = /^https?:\/\//.test(path) ? path : path.startsWith('/') ? path : `/v2/${this.repository}/${path}`;
    const res = await this.send(method, url, opts);
    if (res.ok || opts.accept?.includes(res.status)) return res;
    const detail = await errorDetail(res);
    if (res.status === 401 || res.status === 403) throw new UnauthenticatedError(`unauthorized: ${detail}`);
    if (res.status === 404) throw new NotFoundError(detail);
    throw new UnavailableError(`${method} ${url}: ${res.status} ${detail}`);
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const url = new URL(path, this.base);
    const headers: Record<string, string> = { ...opts.headers };
    if (this.authorization) headers.authorization = this.authorization;
    try {
      // A stream body is sent as it is read (undici takes any async iterable of bytes).
      return await this.http.fetch(url, {
        method, headers, body: opts.body, redirect: 'follow', signal: opts.signal,
        ...(opts.body instanceof Readable ? { duplex: 'half' } : {}),
      });
    } catch (e) {
      if (opts.signal?.aborted) throw abortError(opts.signal);
      const cause = (e as { cause?: Error }).cause;
      throw new RegistryUnreachableError(`Get "${url.origin}/v2/": ${cause?.message ?? (e as Error).message}`, { cause: e });
    }
  }
}

/** The registry's error document (`{"errors":[{code,message}]}`) as Docker prints it. */
export async function errorDetail(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const doc = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const e = doc.errors?.[0];
    if (e) return `${(e.code ?? '').toLowerCase().replace(/_/g, ' ')}: ${e.message ?? ''}`.trim();
  } catch { /* not JSON */ }
  return text.trim() || res.statusText;
}
