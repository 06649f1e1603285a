import { run } from '../util/exec.ts';
import { formatAddr, firstHost, formatPrefix, overlaps, parsePrefix, type Prefix } from './ip.ts';
import type { IPAMConfig } from './types.ts';

/** IPv4 prefixes the host already routes or owns (`ip route`, `ip addr`): a new bridge must not shadow them. */
export async function hostPrefixes(): Promise<Prefix[]> {
  const out: Prefix[] = [];
  const routes = await run('ip', ['-4', '-j', 'route', 'show', 'table', 'all'], { allowFail: true });
  for (const r of safeJson<{ dst?: string }[]>(routes.stdout)) {
    if (!r.dst || r.dst === 'default') continue;
    const p = parsePrefix(r.dst.includes('/') ? r.dst : `${r.dst}/32`);
    // Local and broadcast entries of loopback cover 127/8 only; a /32 route still counts.
    if (p) out.push(p);
  }
  const addrs = await run('ip', ['-4', '-j', 'addr'], { allowFail: true });
  for (const l of safeJson<{ addr_info?: { local: string; prefixlen: number }[] }[]>(addrs.stdout)) {
    for (const a of l.addr_info ?? []) {
      const p = parsePrefix(`${a.local}/${a.prefixlen}`);
      if (p) out.push(p);
    }
  }
  return out;
}

function safeJson<T>(s: string): T {
  try { return JSON.parse(s) as T; } catch { return [] as T; }
}

/**
 * The default bridge's subnet: a private /16 free of the host's routes and of Wharf's other
 * networks, never 172.17.0.0/16 (docker0's), so Wharf and Docker can share a host.
 */
export function pickBridgeSubnet(taken: readonly Prefix[]): IPAMConfig | undefined {
  const candidates: string[] = [];
  for (let i = 18; i <= 31; i++) candidates.push(`172.${i}.0.0/16`);
  for (let i = 200; i <= 254; i++) candidates.push(`10.${i}.0.0/16`);
  for (const c of candidates) {
    const p = parsePrefix(c)!;
    if (!taken.some((t) => overlaps(t, p))) return { Subnet: formatPrefix(p), Gateway: formatAddr(firstHost(p)) };
  }
  return undefined;
}
