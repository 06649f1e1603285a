/** Docker Hub's name in references and the host its registry API really lives on. */
const HUB_DOMAIN = 'docker.io';
const HUB_API_HOST = 'registry-1.docker.io';

/**
 * The base URL of a registry's API. TLS by default; plain HTTP for loopback registries and
 * those listed in WHARF_INSECURE_REGISTRIES (comma list of host:port), Docker's rule, unless
 * certs.d holds TLS material for the host: then it speaks HTTPS with that CA.
 */
export function registryBaseURL(domain: string, env: Record<string, string | undefined> = process.env, hasTLS = false): string {
  const host = apiHost(domain);
  return `${isInsecure(host, env) && !hasTLS ? 'http' : 'https'}://${host}`;
}

/** The host serving a registry's API (Docker Hub's differs from its name in references). */
export function apiHost(domain: string): string {
  return domain === HUB_DOMAIN ? HUB_API_HOST : domain;
}

export function isInsecure(host: string, env: Record<string, string | undefined> = process.env): boolean {
  const name = hostName(host);
  if (name === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(name) || name === '::1') return true;
  const listed = (env.WHARF_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return listed.includes(host) || listed.includes(name);
}

/** `host:port` → `host` (IPv6 in brackets too). */
function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const i = host.lastIndexOf(':');
  return i === -1 ? host : host.slice(0, i);
}
