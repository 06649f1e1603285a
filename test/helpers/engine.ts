import { mkdtemp, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createEngine, type Engine, type EngineConfig } from '../../runtime/index.ts';

export interface TestEngine {
  engine: Engine;
  config: EngineConfig;
  /** Start a second engine on the same data root (after a crash or close). */
  reopen(): Promise<Engine>;
  /** Remove every container, close, and prove nothing is left behind. */
  cleanup(): Promise<Leftovers>;
}

/**
 * What a test engine left behind. The networking kinds appear only when something is left, so
 * `deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] })` also proves no namespace,
 * link, firewall rule or address reservation remains.
 */
export interface Leftovers { mounts: string[]; runc: string[]; conmon: number[]; cgroups: string[]; netns?: string[]; links?: string[]; iptables?: string[]; ipam?: string[] }

/** A /24 in 10.100-199.x.0 that the host doesn't route yet: each engine and test network its own. */
export function uniqueSubnet(): string {
  const routes = execFileSync('ip', ['-4', 'route', 'show', 'table', 'all']).toString();
  for (;;) {
    const prefix = `10.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 256)}.`;
    if (!routes.includes(prefix)) return `${prefix}0/24`;
  }
}

/** Bridge device and subnet of its own, so engines running side by side never share one. */
export function testBridge(tag: string): { bridgeName: string; bridgeSubnet: string } {
  // Letters only before the final digit, so the stem (all but that digit) is unique to the engine.
  const letters = [...Buffer.from(tag).toString('hex').slice(-6)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
  return { bridgeName: `wt${letters}0`, bridgeSubnet: uniqueSubnet() };
}

/** The stem every bridge of the engine starts with (`wt…0` → `wt…`), which names its rules too. */
export function bridgeStem(config: Pick<EngineConfig, 'bridgeName'>): string {
  return config.bridgeName.replace(/\d$/, '');
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** An engine on its own temporary data root, run root and cgroup parent. */
export async function startTestEngine(name: string, opts: Partial<EngineConfig> = {}): Promise<TestEngine> {
  const base = await mkdtemp(join(tmpdir(), `wharf-test-${name}-`));
  const tag = base.split('-').at(-1)!;
  const config: EngineConfig = {
    root: join(base, 'root'),
    runRoot: join(base, 'run'),
    runtime: 'runc',
    conmon: 'conmon',
    cgroupParent: `/wharf-test-${name}-${tag}`,
    seedBusybox: true,
    cniPath: '/usr/lib/cni',
    ...testBridge(tag),
    ...opts,
  };
  let engine = await createEngine(config);
  let cleaned: Promise<Leftovers> | undefined;
  const t: TestEngine = {
    get engine() { return engine; },
    config,
    async reopen() {
      engine = await createEngine(config);
      return engine;
    },
    // Once only: a test may call it at its end and again from an `after` hook that runs on failure.
    cleanup() {
      cleaned ??= (async () => {
        for (const c of engine.containers.list()) await engine.containers.remove(c.id, { force: true }).catch(() => undefined);
        const networkIds = engine.networks.list().map((n) => n.Id);
        for (const n of engine.networks.list()) if (!engine.networks.isPredefined(n.Name)) await engine.networks.remove(n.Id).catch(() => undefined);
        await engine.close();
        const left = await leftovers(config, networkIds);
        await removeCgroups(config.cgroupParent);
        await rm(base, { recursive: true, force: true });
        return left;
      })();
      return cleaned;
    },
  };
  return t;
}

/**
 * What an engine with these roots, cgroup parent and bridge left on the host (after it
 * stopped); the network kinds are listed only when something of them is left.
 */
export async function leftovers(config: Pick<EngineConfig, 'root' | 'runRoot' | 'cgroupParent' | 'bridgeName' | 'bridgeSubnet'>, networkIds?: string[]): Promise<Leftovers> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  const mounts = mountinfo.split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m.startsWith(config.root) || m.startsWith(config.runRoot));
  let runc: string[] = [];
  try {
    runc = execFileSync('runc', ['--root', join(config.runRoot, 'runc'), 'list', '-q']).toString().split('\n').filter(Boolean);
  } catch { /* no state dir: nothing left */ }
  const conmon: number[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      if (cmd[0]?.endsWith('conmon') && cmd.some((a) => a.includes(config.runRoot))) conmon.push(Number(pid));
    } catch { /* exited */ }
  }
  const cgroups: string[] = [];
  for (const ctl of await readdir(CGROUP_ROOT).catch(() => [] as string[])) {
    const dir = join(CGROUP_ROOT, ctl, config.cgroupParent);
    const kids = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
    if (kids) for (const k of kids) if (k.isDirectory()) cgroups.push(join(dir, k.name));
  }
  const netns = await readdir(join(config.runRoot, 'netns')).catch(() => [] as string[]);
  const stem = bridgeStem(config);
  const links = execFileSync('ip', ['-o', 'link']).toString().split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter((n) => n.startsWith(stem));
  // Wharf's chains carry the stem; the plugins' rules name the CNI network, i.e. the network id.
  const ids = networkIds ?? [];
  const iptables = ['filter', 'nat'].flatMap((table) => execFileSync('iptables-save', ['-t', table]).toString().split('\n'))
    .filter((l) => l.includes(stem) || (config.bridgeSubnet && l.includes(config.bridgeSubnet)) || ids.some((id) => l.includes(id)));
  const ipam: string[] = [];
  for (const d of await readdir(join(config.runRoot, 'ipam')).catch(() => [] as string[])) {
    for (const f of await readdir(join(config.runRoot, 'ipam', d)).catch(() => [] as string[])) if (/^\d/.test(f)) ipam.push(`${d}/${f}`);
  }
  const net = Object.fromEntries(Object.entries({ netns, links, iptables, ipam }).filter(([, v]) => v.length > 0));
  return { mounts, runc, conmon, cgroups, ...net };
}

async function removeCgroups(parent: string): Promise<void> {
  for (const ctl of await readdir(CGROUP_ROOT).catch(() => [] as string[])) {
    await rmdir(join(CGROUP_ROOT, ctl, parent)).catch(() => undefined);
  }
}

/** Poll until `fn` returns a truthy value; for conditions with no event to wait on. */
export async function eventually<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Types a line into a busybox shell on a terminal until `seen` says it ran. busybox's line
 * editor asks the terminal for the cursor position as it draws its prompt, and keys that
 * arrive while it waits for the answer (a pty has no terminal to give one) can be swallowed
 * on a busy machine; a line typed again is harmless for the commands the tests type.
 */
export async function typeUntil(write: (s: string) => void, line: string, seen: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!seen()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    write(line);
    await eventually(seen, what, 5_000).catch(() => undefined);
  }
}

export async function collect(it: AsyncIterable<{ data: Buffer }>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(c.data);
  return Buffer.concat(parts).toString();
}
