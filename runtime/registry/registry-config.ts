import { InvalidArgumentError } from '../errors.ts';
import type { Credentials } from './auth.ts';

/** Credentials by registry domain (`docker.io`, `127.0.0.1:5000`), as a build's X-Registry-Config gives them. */
export type RegistryConfig = ReadonlyMap<string, Credentials>;

/**
 * The registry domain a server address names, as references spell it: `https://host:port/v1/`
 * and `host:port` are the same registry, and Docker Hub's addresses all mean `docker.io`.
 */
export function registryDomain(address: string): string {
  const host = address.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
  return ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'].includes(host) ? 'docker.io' : host;
}

/**
 * Decode X-Registry-Config: base64(url) JSON of `{ "<server address>": AuthConfig }`, what
 * `docker build` sends with every login it has. Entries without a user or token are skipped.
 */
export function decodeRegistryConfig(header: string | undefined): RegistryConfig {
  const out = new Map<string, Credentials>();
  if (!header) return out;
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  } catch {
    throw new InvalidArgumentError('invalid X-Registry-Config header: not base64-encoded JSON');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InvalidArgumentError('invalid X-Registry-Config header: not a JSON object');
  for (const [address, value] of Object.entries(doc as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const c = value as Credentials;
    if (typeof c.username !== 'string' && typeof c.identitytoken !== 'string') continue;
    const creds: Credentials = {
      ...(typeof c.username === 'string' ? { username: c.username } : {}),
      ...(typeof c.password === 'string' ? { password: c.password } : {}),
      ...(typeof c.identitytoken === 'string' ? { identitytoken: c.identitytoken } : {}),
      serveraddress: address,
    };
    if (creds.username || creds.identitytoken) out.set(registryDomain(address), creds);
  }
  return out;
}
