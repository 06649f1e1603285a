import { parseReference } from '../../runtime/index.ts';
import type { RegistryStore } from '../registries/store.ts';

const PULL = /^(?:\/v[\d.]+)?\/images\/create$/;
const PUSH = /^(?:\/v[\d.]+)?\/images\/(.+)\/push$/;
const BUILD = /^(?:\/v[\d.]+)?\/build$/;

/** Whether the client already sent credentials of its own (an empty `{}` is none). */
function hasOwnCredentials(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || header === '') return false;
  try {
    const doc = JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as { username?: string; identitytoken?: string };
    return !!(doc.username || doc.identitytoken);
  } catch {
    return true; // not ours to judge: the engine will refuse it
  }
}

/**
 * X-Registry-Auth for a pull or push the dashboard passes on, from the credentials stored for
 * the registry the image names, unless the caller sent its own. Undefined when nothing applies.
 */
export function registryAuthFor(store: RegistryStore, method: string, path: string, query: URLSearchParams, header: string | string[] | undefined): string | undefined {
  if (method !== 'POST' || hasOwnCredentials(header)) return undefined;
  let image: string | undefined;
  if (PULL.test(path)) image = query.get('fromImage') ?? undefined;
  else image = PUSH.exec(path)?.[1] && decodeURIComponent(PUSH.exec(path)![1]!);
  if (!image) return undefined;
  let domain: string;
  try { domain = parseReference(image.replace(/:$/, '')).domain; } catch { return undefined; }
  const creds = store.credentialsFor(domain);
  return creds && Buffer.from(JSON.stringify(creds)).toString('base64url');
}

/**
 * X-Registry-Config for a build the dashboard passes on: every stored registry's credentials,
 * by address, as `docker build` sends every login it has (a FROM may name any registry). Entries
 * the caller sent itself win. Undefined when nothing applies.
 */
export function registryConfigFor(store: RegistryStore, method: string, path: string, header: string | string[] | undefined): string | undefined {
  if (method !== 'POST' || !BUILD.test(path)) return undefined;
  const stored = store.allCredentials().filter((c) => c.username);
  if (stored.length === 0) return undefined;
  let own: Record<string, unknown> = {};
  if (typeof header === 'string' && header !== '') {
    try {
      const doc = JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as unknown;
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined; // not ours to judge: the engine will refuse it
      own = doc as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  const config = { ...Object.fromEntries(stored.map((c) => [c.serveraddress!, c])), ...own };
  return Buffer.from(JSON.stringify(config)).toString('base64url');
}
