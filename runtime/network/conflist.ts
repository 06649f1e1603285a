import type { ConfList } from './cni.ts';
import type { NetworkRecord } from './types.ts';

export interface ConfListOptions {
  bridge: string;
  /** host-local's reservation directory (one sub-directory per network). */
  ipamDir: string;
  mtu?: number;
}

/**
 * The plugins of one endpoint's ADD, recorded with it so that its DEL runs the same ones:
 * `bridge` (host-local IPAM) always; `portmap` only for a container that publishes ports;
 * `tuning` only for one with its own MAC address. Masquerade and forwarding are per network,
 * installed once by Wharf's firewall (`firewall.ts`) rather than per container by the bridge
 * and firewall plugins: every plugin is a process, and theirs ran iptables several times for
 * each container start and stop.
 */
export type PluginName = 'bridge' | 'portmap' | 'tuning' | 'bridge-masq' | 'firewall';

export function pluginsFor(o: { publishes: boolean; mac: boolean }): PluginName[] {
  return ['bridge', ...(o.publishes ? ['portmap' as const] : []), ...(o.mac ? ['tuning' as const] : [])];
}

/**
 * What endpoints attached before plugins were recorded ran (masquerade and the firewall plugin
 * per container), and a superset for namespaces whose ADD is unknown: DEL tolerates what is gone.
 */
export const LEGACY_PLUGINS: readonly PluginName[] = ['bridge-masq', 'portmap', 'firewall', 'tuning'];

/** The v4 subnets of a network, and whether its traffic leaving the host is masqueraded. */
export function egressOf(n: NetworkRecord): { subnets: string[]; masquerade: boolean } {
  const subnets = n.IPAM.Config.map((c) => c.Subnet).filter((s): s is string => !!s && !s.includes(':'));
  return { subnets, masquerade: !n.Internal && n.Options['com.docker.network.bridge.enable_ip_masquerade'] !== 'false' };
}

/**
 * A network as a CNI configuration list, named by the network's id so host-local reservations
 * and the plugins' rule comments are unique to it. An internal network has no default route.
 */
export function confList(n: NetworkRecord, o: ConfListOptions, plugins: readonly PluginName[] = LEGACY_PLUGINS): ConfList {
  const v4 = n.IPAM.Config.filter((c) => c.Subnet && !c.Subnet.includes(':'));
  const ranges = v4.map((c) => [{
    subnet: c.Subnet!,
    ...(c.IPRange ? { rangeStart: rangeStart(c.IPRange), rangeEnd: rangeEnd(c.IPRange) } : {}),
    ...(c.Gateway ? { gateway: c.Gateway } : {}),
  }]);
  const bridge = (ipMasq: boolean) => ({
    type: 'bridge', bridge: o.bridge, isGateway: true, ipMasq, hairpinMode: true,
    ...(o.mtu ? { mtu: o.mtu } : {}),
    ipam: { type: 'host-local', dataDir: o.ipamDir, ranges, routes: n.Internal ? [] : [{ dst: '0.0.0.0/0' }] },
    capabilities: { ips: true },
  });
  const byName: Record<PluginName, () => Record<string, unknown>> = {
    bridge: () => bridge(false),
    'bridge-masq': () => bridge(egressOf(n).masquerade),
    portmap: () => ({ type: 'portmap', snat: true, capabilities: { portMappings: true } }),
    firewall: () => ({ type: 'firewall', backend: 'iptables' }),
    tuning: () => ({ type: 'tuning', capabilities: { mac: true } }),
  };
  return { cniVersion: '1.0.0', name: n.Id, plugins: plugins.map((p) => byName[p]()) };
}

/** host-local wants the first and last usable address of an --ip-range. */
function rangeStart(cidr: string): string {
  const [addr] = cidr.split('/') as [string];
  const parts = addr.split('.').map(Number);
  parts[3] = parts[3]! + (Number(cidr.split('/')[1]) >= 31 ? 0 : 1);
  return parts.join('.');
}

function rangeEnd(cidr: string): string {
  const [addr, bitsText] = cidr.split('/') as [string, string];
  const n = addr.split('.').reduce((a, p) => a * 256 + Number(p), 0);
  const size = 2 ** (32 - Number(bitsText));
  const last = n + size - (size > 2 ? 2 : 1);
  return [24, 16, 8, 0].map((s) => Math.floor(last / 2 ** s) % 256).join('.');
}
