import { UnauthenticatedError, UnavailableError } from '../errors.ts';
import { basicHeader, fetchToken, parseChallenge, type Credentials } from './auth.ts';
import { apiHost, registryBaseURL } from './hosts.ts';
import type { HttpClient } from './http.ts';

/** Docker Hub's login address as the CLI sends it. */
const HUB_ADDRESSES = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

/** `https://host:port/v1/`, `host:port` … → the registry's domain as references name it. */
export function loginDomain(serveraddress: string | undefined): string {
  const raw = (serveraddress ?? '').trim();
  if (!raw || HUB_ADDRESSES.includes(raw) || HUB_ADDRESSES.includes(raw.replace(/^https?:\/\//, '').replace(/\/.*$/, ''))) return 'docker.io';
  return raw.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

/**
 * Check credentials against a registry as `docker login` does: the `/v2/` challenge, then the
 * credentials against it (Basic directly, Bearer through its token server). Throws
 * UnauthenticatedError with dockerd's wording when they are refused.
 */
export async function checkLogin(http: HttpClient, creds: Credentials, signal?: AbortSignal): Promise<void> {
  const domain = loginDomain(creds.serveraddress);
  const base = registryBaseURL(domain, process.env, await http.hasTLS(apiHost(domain)));
  const endpoint = `${base}/v2/`;
  let res;
  try {
    res = await http.fetch(endpoint, { signal });
  } catch (e) {
    const cause = (e as { cause?: Error }).cause;
    throw new UnavailableError(`Get "${endpoint}": ${cause?.message ?? (e as Error).message}`, { cause: e });
  }
  await res.body?.cancel();
  if (res.ok) return;
  if (res.status !== 401) throw new UnavailableError(`login attempt to ${endpoint} failed with status: ${res.status} ${res.statusText}`);
  const ch = parseChallenge(res.headers.get('www-authenticate') ?? '');
  if (ch.scheme === 'bearer') {
    try {
      await fetchToken(http, ch, [], creds);
      return;
    } catch (e) {
      if (e instanceof UnauthenticatedError) throw new UnauthenticatedError(`Get "${endpoint}": unauthorized: incorrect username or password`);
      throw e;
    }
  }
  const again = await http.fetch(endpoint, { headers: { authorization: basicHeader(creds) }, signal });
  await again.body?.cancel();
  if (again.ok) return;
  throw new UnauthenticatedError(`login attempt to ${endpoint} failed with status: ${again.status} ${again.statusText || 'Unauthorized'}`);
}
