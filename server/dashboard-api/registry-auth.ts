import { parseReference } from '../../runtime/index.ts';
import type { RegistryStore } from '../registries/store.ts';

const PULL = /^(?:\/v[\d.]+)?\/images\/create$/;
const PUSH = /^(?:\/v[\d.]+)?\/images\/(.+)\/push$/;

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
