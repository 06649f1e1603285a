import { join } from 'node:path';
import { UnavailableError } from '../errors.ts';
import { run } from '../util/exec.ts';

/** A CNI network configuration list (CNI spec §1): one network, plugins applied in order. */
export interface ConfList {
  cniVersion: string;
  name: string;
  plugins: Record<string, unknown>[];
}

/** The parts of a CNI 1.0 result that Wharf reads (CNI spec §5.1). */
export interface CniResult {
  cniVersion: string;
  interfaces?: { name: string; mac?: string; sandbox?: string }[];
  ips?: { address: string; gateway?: string; interface?: number }[];
  routes?: { dst: string; gw?: string }[];
  dns?: { nameservers?: string[]; domain?: string; search?: string[] };
}

export interface CniTarget {
  containerId: string;
  netns: string;
  ifName: string;
  /** Capability arguments handed to plugins that declare them (portMappings, mac, ips). */
  runtimeConfig?: Record<string, unknown>;
}

export type CniCommand = 'ADD' | 'DEL' | 'CHECK';

/** Invokes Debian's containernetworking-plugins as the CNI spec describes: env, stdin config, stdout result. */
export class Cni {
  constructor(private readonly pluginDir: string) {}

  private async invoke(cmd: CniCommand, list: ConfList, plugin: Record<string, unknown>, t: CniTarget, prevResult?: CniResult): Promise<CniResult | undefined> {
    const type = String(plugin.type);
    const caps = (plugin.capabilities ?? {}) as Record<string, boolean>;
    const runtimeConfig = Object.fromEntries(Object.entries(t.runtimeConfig ?? {}).filter(([k]) => caps[k]));
    const conf = {
      ...plugin, cniVersion: list.cniVersion, name: list.name,
      ...(Object.keys(runtimeConfig).length ? { runtimeConfig } : {}),
      ...(prevResult ? { prevResult } : {}),
    };
    const env = {
      ...process.env,
      CNI_COMMAND: cmd, CNI_CONTAINERID: t.containerId, CNI_NETNS: t.netns, CNI_IFNAME: t.ifName, CNI_PATH: this.pluginDir,
    };
    const r = await run(join(this.pluginDir, type), [], { env, input: JSON.stringify(conf), allowFail: true });
    if (r.code !== 0) {
      let msg = r.stderr.trim() || r.stdout.trim();
      try { const e = JSON.parse(r.stdout) as { msg?: string; details?: string }; msg = [e.msg, e.details].filter(Boolean).join(': '); } catch { /* not a CNI error object */ }
      throw new UnavailableError(`CNI ${type} ${cmd} on ${list.name} failed: ${msg}`);
    }
    if (cmd !== 'ADD') return undefined;
    return JSON.parse(r.stdout) as CniResult;
  }

  /** ADD through every plugin, each getting the previous one's result; undone with DEL when one fails. */
  async add(list: ConfList, t: CniTarget): Promise<CniResult> {
    let result: CniResult | undefined;
    const done: Record<string, unknown>[] = [];
    try {
      for (const p of list.plugins) {
        result = (await this.invoke('ADD', list, p, t, result)) ?? result;
        done.push(p);
      }
    } catch (e) {
      await this.del({ ...list, plugins: [...done, list.plugins[done.length]!] }, t, result).catch(() => undefined);
      throw e;
    }
    return result ?? { cniVersion: list.cniVersion };
  }

  /** DEL in reverse order with the stored result; DEL must tolerate what is already gone (CNI spec). */
  async del(list: ConfList, t: CniTarget, prevResult?: CniResult): Promise<void> {
    let first: unknown;
    for (const p of [...list.plugins].reverse()) {
      try { await this.invoke('DEL', list, p, t, prevResult); } catch (e) { first ??= e; }
    }
    if (first) throw first;
  }

  async check(list: ConfList, t: CniTarget, prevResult: CniResult): Promise<void> {
    for (const p of list.plugins) await this.invoke('CHECK', list, p, t, prevResult);
  }
}
