import type { ConfList } from './cni.ts';
import type { NetworkRecord } from './types.ts';

export interface ConfListOptions {
  bridge: string;
  /** host-local's reservation directory (one sub-directory per network). */
  ipamDir: string;
  mtu?: number;
}

/**
 * A network as a CNI configuration list: bridge (with host-local IPAM), portmap, firewall and
 * tuning. The list is named by the network's id, so host-local reservations and the plugins'
 * rule comments are unique to it. An internal network has no default route and no masquerade.
 */
export function confList(n: NetworkRecord, o: ConfListOptions): ConfList {
  const v4 = n.IPAM.Config.filter((c) => c.Subnet && !c.Subnet.includes(':'));
  const ranges = v4.map((c) => [{
    subnet: c.Subnet!,
    ...(c.IPRange ? { rangeStart: rangeStart(c.IPRange), rangeEnd: rangeEnd(c.IPRange) } : {}),
    ...(c.Gateway ? { gateway: c.Gateway } : {}),
  }]);
  const masq = !n.Internal && n.Options['com.docker.network.bridge.enable_ip_masquerade'] !== 'false';
  return {
    cniVersion: '1.0.0',
    name: n.Id,
    plugins: [
      {
        type: 'bridge', bridge: o.bridge, isGateway: true, ipMasq: masq, hairpinMode: true,
        ...(o.mtu ? { mtu: o.mtu } : {}),
        ipam: {
          type: 'host-local', dataDir: o.ipamDir, ranges,
          routes: n.Internal ? [] : [{ dst: '0.0.0.0/0' }],
        },
        capabilities: { ips: true },
      },
      { type: 'portmap', snat: true, capabilities: { portMappings: true } },
      { type: 'firewall', backend: 'iptables' },
      { type: 'tuning', capabilities: { mac: true } },
    ],
  };
}

/** The loopback interface of every private namespace. */
export const LOOPBACK: ConfList = { cniVersion: '1.0.0', name: 'loopback', plugins: [{ type: 'loopback' }] };

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
