import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Attacher } from './attach.ts';
import type { Bridges } from './bridges.ts';
import { confList } from './conflist.ts';
import type { Cni } from './cni.ts';
import type { EndpointStore } from './endpoints.ts';
import type { NetnsDir } from './netns.ts';
import type { NetworkRecords } from './records.ts';

export interface RecoverDeps { records: NetworkRecords; store: EndpointStore; cni: Cni; netns: NetnsDir; bridges: Bridges; attacher: Attacher; ipamDir: string }

/**
 * Boot recovery after the containers were reconciled: endpoints of containers no longer running
 * are detached, namespaces nobody runs in are deleted (after a DEL on every network, for an ADD a
 * SIGKILL cut short), reservations without an endpoint are released, and the networks still in
 * use get their rules and name servers back. Idle networks leave no bridge behind.
 */
export async function recoverNetworks(d: RecoverDeps, running: (id: string) => boolean): Promise<void> {
  for (const row of d.store.all()) {
    if (!row.result) continue;
    if (!running(row.containerId) || !(await d.netns.exists(row.containerId))) await d.attacher.detachOne(row).catch(report);
  }
  const networks = d.records.all().filter((n) => n.Driver === 'bridge');
  for (const id of await d.netns.list()) {
    if (running(id)) continue;
    for (const n of networks) {
      const list = confList(n, { bridge: d.bridges.bridgeOf(n), ipamDir: d.ipamDir });
      await d.cni.del(list, { containerId: id, netns: d.netns.path(id), ifName: 'eth0' }).catch(() => undefined);
    }
    await d.netns.remove(id).catch(report);
  }
  const attached = new Set(d.store.all().filter((e) => e.result).map((e) => `${e.networkId}/${e.containerId}`));
  for (const n of networks) {
    const dir = join(d.ipamDir, n.Id);
    for (const f of await readdir(dir).catch(() => [] as string[])) {
      if (!/^[\d.]+$|:/.test(f)) continue;
      const owner = (await readFile(join(dir, f), 'utf8').catch(() => '')).split(/\s/)[0] ?? '';
      if (!attached.has(`${n.Id}/${owner}`)) await rm(join(dir, f), { force: true });
    }
    const inUse = d.store.ofNetwork(n.Id).find((e) => e.result);
    if (inUse) {
      await d.bridges.activate(n).catch(report);
      const gw = inUse.result?.ips?.[0]?.gateway;
      await d.bridges.added(n, gw).catch(report);
    } else {
      await d.bridges.clear(n).catch(report);
    }
  }
}

function report(e: unknown): void {
  console.error('wharf: network recovery:', e);
}
