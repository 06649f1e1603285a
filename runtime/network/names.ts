import { addressOf } from './attach.ts';
import type { EndpointStore } from './endpoints.ts';
import type { NetworkedContainer, NetworkUser } from './types.ts';

/**
 * What a network's name server answers for `name` asked by the container at `source`: the
 * addresses of running containers whose name, alias (compose's service name among them) or
 * short id it is, on the networks the asking container is on (as Docker's embedded DNS does:
 * a container on two networks finds the names of both). A stranger only gets this network's
 * names. The default bridge has no names, and no network's names leak to a container not on it.
 */
export function lookupIn(store: EndpointStore, containers: NetworkUser[], networkId: string, name: string, source: string, isUserNetwork: (id: string) => boolean): string[] | undefined {
  const asker = store.ofNetwork(networkId).find((e) => addressOf(e.result)?.ip === source)?.containerId;
  const networks = asker ? store.ofContainer(asker).filter((e) => e.result && isUserNetwork(e.networkId)).map((e) => e.networkId) : [networkId];
  const ips: string[] = [];
  for (const n of networks.length ? networks : [networkId]) ips.push(...namesIn(store, containers, n, name));
  return ips.length ? [...new Set(ips)] : undefined;
}

function namesIn(store: EndpointStore, containers: NetworkUser[], networkId: string, name: string): string[] {
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
  return ips;
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
