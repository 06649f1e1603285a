import { readFile } from 'node:fs/promises';

export interface HostResolv { nameservers: string[]; search: string[]; options: string[] }

/** The host's /etc/resolv.conf, read per container start as Docker does (it may change). */
export async function hostResolv(path = '/etc/resolv.conf'): Promise<HostResolv> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const out: HostResolv = { nameservers: [], search: [], options: [] };
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.search = rest;
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}

const LOOPBACK = /^(127\.|::1$)/;

/**
 * A container's resolv.conf as dockerd writes it. On a user network the network's name server
 * answers (here on the gateway), with `ndots:0` as Docker's embedded DNS sets. Elsewhere the
 * host's resolvers without loopback ones, which a container can't reach (Google's, as Docker
 * falls back to, when nothing is left). --dns, --dns-search and --dns-option replace the host's.
 */
export function resolvConf(host: HostResolv, o: { hostNetwork: boolean; nameServer?: string; dns: string[]; search: string[]; options: string[] }): string {
  const search = o.search.length ? o.search : host.search;
  let servers: string[];
  let options = o.options.length ? o.options : host.options;
  if (o.nameServer) {
    servers = [o.nameServer];
    if (!options.some((x) => x.startsWith('ndots:'))) options = [...options, 'ndots:0'];
  } else if (o.dns.length) servers = o.dns;
  else if (o.hostNetwork) servers = host.nameservers;
  else {
    servers = host.nameservers.filter((s) => !LOOPBACK.test(s));
    if (!servers.length) servers = ['8.8.8.8', '8.8.4.4'];
  }
  const lines = [
    ...(search.length && search[0] !== '.' ? [`search ${search.join(' ')}`] : []),
    ...servers.map((s) => `nameserver ${s}`),
    ...(options.length ? [`options ${options.join(' ')}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** /etc/hosts lines after the localhost block: --add-host entries, links, then the container itself. */
export function hostsLines(o: { extraHosts: string[]; links: { ip: string; names: string[] }[]; ip?: string; hostname: string; aliases?: string[] }): string[] {
  const lines: string[] = [];
  for (const h of o.extraHosts) {
    const i = h.indexOf(':');
    if (i > 0) lines.push(`${h.slice(i + 1)}\t${h.slice(0, i)}`);
  }
  for (const l of o.links) lines.push(`${l.ip}\t${l.names.join(' ')}`);
  if (o.ip) lines.push(`${o.ip}\t${o.hostname}`);
  return lines;
}
