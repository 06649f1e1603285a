import { InvalidArgumentError } from '../../runtime/index.ts';

/** How to reach a Docker Engine API: a unix socket, or a host over http(s). */
export type DockerTarget =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; protocol: 'http:' | 'https:'; hostname: string; port: number };

/**
 * `unix:///run/docker.sock`, `tcp://host:2375` (plain HTTP, as the docker CLI reads it
 * without TLS), `http://host:2375`, `https://host:2376`.
 */
export function parseEndpointUrl(url: string): DockerTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(`url ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol === 'unix:') {
    const socketPath = decodeURIComponent(parsed.pathname);
    if (parsed.host !== '' || !socketPath.startsWith('/')) throw new InvalidArgumentError(`url ${url}: a unix socket URL is unix:///absolute/path`);
    return { kind: 'unix', socketPath };
  }
  if (!['tcp:', 'http:', 'https:'].includes(parsed.protocol) || parsed.hostname === '') {
    throw new InvalidArgumentError(`url ${url}: use unix:///path.sock, tcp://host:port, http://host:port or https://host:port`);
  }
  const protocol = parsed.protocol === 'https:' ? 'https:' : 'http:';
  const port = parsed.port ? Number(parsed.port) : protocol === 'https:' ? 2376 : 2375;
  return { kind: 'tcp', protocol, hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}
