import { InvalidArgumentError, UnauthenticatedError, UnavailableError } from '../errors.ts';
import type { HttpClient } from './http.ts';

/** What the Docker API carries in X-Registry-Auth. */
export interface Credentials { username?: string; password?: string; identitytoken?: string; serveraddress?: string }

export interface Challenge { scheme: string; params: Record<string, string> }

/** Parse `Bearer realm="…",service="…",scope="…"` (RFC 7235 auth-params). */
export function parseChallenge(header: string): Challenge {
  const sp = header.indexOf(' ');
  const scheme = (sp === -1 ? header : header.slice(0, sp)).toLowerCase();
  const params: Record<string, string> = {};
  const re = /([a-zA-Z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const m of (sp === -1 ? '' : header.slice(sp + 1)).matchAll(re)) params[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme, params };
}

export function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username ?? ''}:${c.password ?? ''}`).toString('base64')}`;
}

/** Decode X-Registry-Auth (base64url or base64 JSON); empty or `{}` means anonymous. */
export function decodeRegistryAuth(header: string | undefined): Credentials | undefined {
  if (!header) return undefined;
  try {
    const json = JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as Credentials;
    return json.username || json.identitytoken ? json : undefined;
  } catch {
    throw new InvalidArgumentError('invalid X-Registry-Auth header: not base64-encoded JSON');
  }
}

/** Fetch a bearer token from the challenge's realm (the distribution token protocol). */
export async function fetchToken(http: HttpClient, ch: Challenge, scopes: readonly string[], creds: Credentials | undefined): Promise<string> {
  const realm = ch.params.realm;
  if (!realm) throw new UnavailableError('registry sent a Bearer challenge without a realm');
  const url = new URL(realm);
  if (ch.params.service) url.searchParams.set('service', ch.params.service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  const headers: Record<string, string> = {};
  if (creds?.username) headers.authorization = basicHeader(creds);
  const res = await http.fetch(url, { headers });
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new UnauthenticatedError(`unauthorized: incorrect username or password (token from ${url.origin})`);
  }
  if (!res.ok) throw new UnavailableError(`token server ${url.origin} answered ${res.status}`);
  const body = (await res.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new UnavailableError(`token server ${url.origin} returned no token`);
  return token;
}
