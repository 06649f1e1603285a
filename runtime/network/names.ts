import { addressOf } from './attach.ts';
import type { EndpointStore } from './endpoints.ts';
import type { NetworkedContainer, NetworkUser } from './types.ts';

/**
 * What a network's name server answers for `name`: the addresses of the running containers on
 * that network whose name, alias (compose's service name among them) or short id it is.
 * Only this network's endpoints are consulted, so names never resolve across networks.
 */
export function lookupIn(store: EndpointStore, containers: NetworkUser[], networkId: string, name: string): string[] | undefined {
  const q = name.replace(/\.$/, '').toLowerCase();
  const byId = new Map(containers.map((c) => [c.id, c]));
  const ips: string[] = [];
  for (const e of store.ofNetwork(networkId)) {
    const a = addressOf(e.result);
    const c = byId.get(e.containerId);
    if (!a || !c?.state.Running) continue;
    const names = [c.name, c.id.slice(0, 12), ...(e.config.Aliases ?? [])].map((n) => n.toLowerCase());
    if (names.includes(q)) ips.push(a.ip);
  }
  return ips.length ? ips : undefined;
}

/** A container record as networking reads it. */
export function networked(c: NetworkUser): NetworkedContainer {
  const h = c.record.HostConfig;
  return {
    id: c.id, name: c.name, hostname: c.record.Config.Hostname, networkMode: h.NetworkMode || 'bridge',
    exposedPorts: Object.keys(c.record.Config.ExposedPorts ?? {}).map((k) => (k.includes('/') ? k : `${k}/tcp`)),
    portBindings: h.PortBindings ?? {}, publishAll: !!h.PublishAllPorts, links: h.Links ?? [],
    dns: h.Dns ?? [], dnsSearch: h.DnsSearch ?? [], dnsOptions: h.DnsOptions ?? [], extraHosts: h.ExtraHosts ?? [],
  };
}
