import { run } from '../../util/exec.ts';

/** One interface as `ip -j addr` reports it, reduced to what the kernel view shows. */
export interface InterfaceView {
  ifname: string;
  ifindex: number;
  mac: string;
  mtu: number;
  state: string;
  /** The peer's ifindex in the other namespace, for a veth (`link_index`). */
  peerIfindex: number | null;
  addresses: string[];
}

export interface VethView {
  /** The container-side interface (eth0). */
  inside: string;
  insideIfindex: number;
  /** The host-side end of the pair, found by the peer ifindex in the host's namespace. */
  hostName: string | null;
  hostIfindex: number;
  /** The bridge the host end is enslaved to, and that bridge's addresses. */
  bridge: string | null;
  bridgeAddresses: string[];
}

export interface NetnsView { interfaces: InterfaceView[]; veths: VethView[] }

interface IpLink {
  ifindex: number; ifname: string; address?: string; mtu?: number; operstate?: string; link_index?: number; master?: string;
  link_type?: string; addr_info?: { family: string; local: string; prefixlen: number }[];
}

function parseIp(stdout: string): IpLink[] {
  const parsed: unknown = JSON.parse(stdout || '[]');
  return Array.isArray(parsed) ? (parsed as IpLink[]) : [];
}

const toView = (l: IpLink): InterfaceView => ({
  ifname: l.ifname, ifindex: l.ifindex, mac: l.address ?? '', mtu: l.mtu ?? 0, state: l.operstate ?? '',
  peerIfindex: l.link_index ?? null, addresses: (l.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`),
});

/**
 * The interfaces of a process's network namespace, read by `ip` run inside it (nsenter, in a
 * child process), and each veth traced to its host end and bridge in the host's namespace.
 */
export async function netnsView(pid: number): Promise<NetnsView> {
  const [inside, host] = await Promise.all([
    run('nsenter', ['-t', String(pid), '-n', 'ip', '-j', 'addr', 'show']),
    run('ip', ['-j', 'addr', 'show']),
  ]);
  const links = parseIp(inside.stdout);
  const hostLinks = parseIp(host.stdout);
  const veths: VethView[] = links.filter((l) => l.link_index !== undefined && l.link_type === 'ether').map((l) => {
    const peer = hostLinks.find((h) => h.ifindex === l.link_index && h.link_index === l.ifindex);
    const bridge = peer?.master ? hostLinks.find((h) => h.ifname === peer.master) : undefined;
    return {
      inside: l.ifname, insideIfindex: l.ifindex, hostName: peer?.ifname ?? null, hostIfindex: l.link_index!,
      bridge: peer?.master ?? null, bridgeAddresses: bridge ? toView(bridge).addresses : [],
    };
  });
  return { interfaces: links.map(toView), veths };
}

/** Chains Wharf's networking owns: its own and the CNI plugins'. Nobody else's rules are shown. */
const OWN_CHAIN = /^-[AN] ((?:WHARF|CNI)-\S+)/;

/**
 * The NAT rules that concern a container: in Wharf's and CNI's chains, those naming one of its
 * addresses or its id (CNI's portmap comments carry the container id), plus the rules of the
 * chains those jump to (the per-container DNAT chains).
 */
export function filterNatRules(rules: string, addresses: readonly string[], containerId: string): string[] {
  const lines = rules.split('\n').map((l) => l.trim()).filter((l) => OWN_CHAIN.test(l) && l.startsWith('-A '));
  const names = (line: string) => addresses.some((ip) => new RegExp(`(^|[^\\d.])${ip.replace(/\./g, '\\.')}(?![\\d])`).test(line)) || line.includes(containerId);
  const matched = new Set(lines.filter(names));
  const targets = new Set<string>();
  for (const l of matched) {
    const jump = / -[jg] ((?:WHARF|CNI)-\S+)/.exec(l)?.[1];
    if (jump) targets.add(jump);
  }
  return lines.filter((l) => matched.has(l) || targets.has(OWN_CHAIN.exec(l)![1]!));
}

/** `iptables -t nat -S`, filtered to the container's rules (iptables waits for the xtables lock). */
export async function natRules(addresses: readonly string[], containerId: string): Promise<string[]> {
  const { stdout } = await run('iptables', ['-w', '-t', 'nat', '-S']);
  return filterNatRules(stdout, addresses, containerId);
}
