/** A hostname the URL parser accepts as is: a DNS name, an IPv4 address or a bracketed IPv6 one. */
const HOSTNAME = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])$/;

/**
 * The link of a published port: `http://<host the dashboard is reached at>:<hostPort>/`. The
 * binding's HostIp (0.0.0.0, ::) says where the engine listens, not where this browser can
 * connect, so it is not used. Only TCP ports get a link (a browser cannot speak UDP), and the
 * URL is built from a checked hostname and a numeric port, so no value from an engine or a
 * container can choose the scheme or inject anything into the href.
 */
export function portUrl(engineHost: string, hostPort: string | number | undefined, protocol: string | undefined): string | undefined {
  if ((protocol ?? 'tcp') !== 'tcp') return undefined;
  const port = typeof hostPort === 'number' ? hostPort : /^\d{1,5}$/.test(hostPort ?? '') ? Number(hostPort) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  const host = engineHost.includes(':') && !engineHost.startsWith('[') ? `[${engineHost}]` : engineHost;
  if (!HOSTNAME.test(host)) return undefined;
  const url = new URL(`http://${host}:${port}/`);
  return url.protocol === 'http:' ? url.href : undefined;
}
