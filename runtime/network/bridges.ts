import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../util/exec.ts';
import { KeyedLock } from '../util/lock.ts';
import { NameServer, type Lookup } from './dns/server.ts';
import { egressOf } from './conflist.ts';
import type { Firewall, FirewalledNetwork } from './firewall.ts';
import type { NetworkRecord } from './types.ts';

interface Active { net: FirewalledNetwork; dns?: NameServer }

/**
 * The host side of each network while any container is on it: its bridge device (made by the
 * bridge plugin on the first ADD), its isolation rules and, on user networks, its name server.
 * An idle network leaves nothing on the host: bridge, rules and reservations go with the last
 * endpoint.
 */
export class Bridges {
  private readonly active = new Map<string, Active>();
  readonly lock = new KeyedLock();

  constructor(
    private readonly o: { defaultBridge: string; stem: string; ipamDir: string; firewall: Firewall; lookup: (networkId: string) => Lookup; upstreams: () => string[] },
  ) {}

  /** Docker's `com.docker.network.bridge.name` when set; else `<stem>-<id>` so the stem's wildcard covers it. */
  bridgeOf(n: NetworkRecord): string {
    const named = n.Options['com.docker.network.bridge.name'];
    if (named) return named;
    if (n.Name === 'bridge') return this.o.defaultBridge;
    return `${this.o.stem}-${n.Id.slice(0, Math.max(3, 14 - this.o.stem.length))}`;
  }

  isActive(networkId: string): boolean {
    return this.active.has(networkId);
  }

  /** Before the first ADD on `n`: its isolation rules. */
  async activate(n: NetworkRecord): Promise<void> {
    if (this.active.has(n.Id)) return;
    const net = this.firewalled(n);
    await this.o.firewall.activate(net);
    this.active.set(n.Id, { net });
  }

  private firewalled(n: NetworkRecord): FirewalledNetwork {
    return { bridge: this.bridgeOf(n), internal: n.Internal, ...egressOf(n) };
  }

  /** After an ADD: a user network gets its name server. */
  async added(n: NetworkRecord, gateway: string | undefined): Promise<void> {
    const a = this.active.get(n.Id);
    if (!a || a.dns || n.Name === 'bridge' || !gateway) return;
    const dns = new NameServer(gateway, this.o.lookup(n.Id), this.o.upstreams);
    await dns.start();
    a.dns = dns;
  }

  /** After the last endpoint left `n`: name server, rules, bridge device and reservations go. */
  async deactivate(n: NetworkRecord): Promise<void> {
    const a = this.active.get(n.Id);
    if (!a) return;
    this.active.delete(n.Id);
    await a.dns?.stop();
    await this.o.firewall.deactivate(a.net, this.active.size === 0);
    await removeLink(a.net.bridge);
    await rm(join(this.o.ipamDir, n.Id), { recursive: true, force: true });
  }

  /**
   * A network found idle at boot: whatever an earlier run left on the host for it (rules, the
   * bridge, reservations) goes, whether or not this process activated it.
   */
  async clear(n: NetworkRecord): Promise<void> {
    const net = this.firewalled(n);
    this.active.delete(n.Id);
    await this.o.firewall.deactivate(net, this.active.size === 0);
    await removeLink(net.bridge);
    await rm(join(this.o.ipamDir, n.Id), { recursive: true, force: true });
  }

  /** Engine shutdown: name servers stop (the kernel's forwarding and rules stay for running containers). */
  async close(): Promise<void> {
    await Promise.all([...this.active.values()].map((a) => a.dns?.stop()));
    for (const a of this.active.values()) delete a.dns;
  }
}

/** Delete a bridge device of Wharf's; never one of Docker's, whatever a network's options say. */
export async function removeLink(name: string): Promise<void> {
  if (name === 'docker0' || name.startsWith('br-')) return;
  await run('ip', ['link', 'del', name], { allowFail: true });
}
