/**
 * Wharf against Debian's dockerd, side by side: the same stock docker CLI, the same busybox
 * image, alternating runs. Prints medians and the Wharf/dockerd ratio for each operation.
 *
 *   node --import tsx bench/run.ts [--rounds N]
 *
 * Both engines get private data roots and sockets. Most rows run with `--network none` on both,
 * so they compare container lifecycles; the `(bridge)` rows use each engine's default bridge
 * network (Wharf: CNI bridge + portmap + firewall; dockerd: its own bridge, no iptables), so
 * they add the network set-up. Everything started here is removed at the end.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDockerd, startDockerd, type Dockerd } from '../test/helpers/dockerd.ts';
import { uniqueSubnet } from '../test/helpers/engine.ts';
import { writeBuildContext } from './build-context.ts';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 10;
const dir = await mkdtemp(join(tmpdir(), 'wharf-bench-'));
const cgroupParent = `/wharf-bench-${dir.split('-').at(-1)}`;

interface Target { name: string; sock: string }

function docker(t: Target, args: string[], env: Record<string, string> = {}): Promise<{ ms: number; out: string; code: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('docker', args, { env: { ...process.env, DOCKER_HOST: `unix://${t.sock}`, DOCKER_CONFIG: join(dir, 'cli'), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${t.name}: docker ${args.join(' ')} failed: ${err.trim()}`));
      else resolve({ ms, out, code: code ?? 0 });
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function startWharf(): Promise<{ target: Target; stop: () => Promise<void> }> {
  const sock = join(dir, 'wharf.sock');
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'wharf-engine.ts')], {
    env: {
      ...process.env, WHARF_ROOT: join(dir, 'wharf-root'), WHARF_RUN: join(dir, 'wharf-run'), WHARF_SOCKET: sock, WHARF_CGROUP_PARENT: cgroupParent,
      // A bridge of its own, beside any Wharf on this host.
      WHARF_BRIDGE_NAME: `wb${dir.split('-').at(-1)!.toLowerCase().replace(/[^a-z0-9]/g, '')}0`.slice(0, 14), WHARF_BRIDGE_SUBNET: uniqueSubnet(),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
    child.on('exit', (code) => reject(new Error(`wharf exited with ${code}`)));
  });
  return {
    target: { name: 'wharf', sock },
    stop: async () => { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); },
  };
}

const RUN = ['run', '--network', 'none'];
const TRAP = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.1; done'];

/** Time `fn` on both engines, alternating, `n` times each. */
async function compare(label: string, n: number, targets: Target[], fn: (t: Target, i: number) => Promise<number>): Promise<string[]> {
  const times = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  for (let i = 0; i < n; i++) {
    const order = i % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) times.get(t.name)!.push(await fn(t, i));
  }
  const [w, d] = targets.map((t) => median(times.get(t.name)!)) as [number, number];
  return [label, w.toFixed(1), d.toFixed(1), (w / d).toFixed(2)];
}

const rows: string[][] = [];
const started: Target[] = [];
let wharf: Awaited<ReturnType<typeof startWharf>> | undefined;
let dockerd: Dockerd | undefined;
try {
  const why = await ensureDockerd();
  if (why) throw new Error(`dockerd is not available: ${why}`);
  wharf = await startWharf();
  await mkdir(join(dir, 'dockerd'), { recursive: true });
  const d = await startDockerd(join(dir, 'dockerd'), 'overlay2');
  if (typeof d === 'string') throw new Error(d);
  dockerd = d;
  const targets: Target[] = [wharf.target, { name: 'dockerd', sock: dockerd.sock }];
  started.push(...targets);
  // The same image on both sides: Wharf's busybox, saved and loaded into dockerd.
  const archive = join(dir, 'busybox.tar');
  await new Promise<void>((resolve, reject) => {
    const child = spawn('docker', ['save', 'busybox:latest'], { env: { ...process.env, DOCKER_HOST: `unix://${wharf!.target.sock}`, DOCKER_CONFIG: join(dir, 'cli') } });
    child.stdout.pipe(createWriteStream(archive));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error('docker save failed'))));
  });
  await dockerd.docker(['load', '-i', archive]);

  rows.push(await compare('docker run --rm busybox true', rounds, targets, async (t) => (await docker(t, [...RUN, '--rm', 'busybox', 'true'])).ms));
  rows.push(await compare('docker run --rm busybox true (bridge)', rounds, targets, async (t) => (await docker(t, ['run', '--rm', 'busybox', 'true'])).ms));
  rows.push(await compare('docker run -d (x20, bridge, total)', 1, targets, async (t) => {
    let total = 0;
    for (let i = 0; i < 20; i++) total += (await docker(t, ['run', '-d', '--name', `bridged-${i}`, 'busybox', 'sleep', '100000'])).ms;
    await docker(t, ['rm', '-f', ...Array.from({ length: 20 }, (_, i) => `bridged-${i}`)]);
    return total;
  }));
  rows.push(await compare('docker run -d (x20, none, total)', 1, targets, async (t) => {
    let total = 0;
    for (let i = 0; i < 20; i++) total += (await docker(t, [...RUN, '-d', '--name', `unbridged-${i}`, 'busybox', 'sleep', '100000'])).ms;
    await docker(t, ['rm', '-f', ...Array.from({ length: 20 }, (_, i) => `unbridged-${i}`)]);
    return total;
  }));
  // Idle containers, so that neither engine's measurements pay for the other's busy processes.
  rows.push(await compare('docker run -d (x100, total)', 1, targets, async (t) => {
    let total = 0;
    for (let i = 0; i < 100; i++) total += (await docker(t, [...RUN, '-d', '--name', `bench-${i}`, 'busybox', 'sleep', '100000'])).ms;
    return total;
  }));
  rows.push(await compare('docker ps -a (100 containers)', rounds, targets, async (t) => (await docker(t, ['ps', '-a'])).ms));
  rows.push(await compare('docker exec c true', rounds, targets, async (t) => (await docker(t, ['exec', 'bench-0', 'true'])).ms));
  rows.push(await compare('docker stop c (handles TERM)', rounds, targets, async (t, i) => {
    await docker(t, [...RUN, '-d', '--name', `stop-${i}`, 'busybox', ...TRAP]);
    await new Promise((r) => setTimeout(r, 300));
    return (await docker(t, ['stop', `stop-${i}`])).ms;
  }));
  rows.push(await compare('docker rm c (stopped)', rounds, targets, async (t, i) => (await docker(t, ['rm', `stop-${i}`])).ms));
  rows.push(await compare('docker rm -f c (running)', rounds, targets, async (t, i) => (await docker(t, ['rm', '-f', `bench-${i + 1}`])).ms));
  // The classic builder on both sides: one warm build, then rebuilds that are all cache.
  const ctx = await writeBuildContext(dir);
  const classic = { DOCKER_BUILDKIT: '0' };
  for (const t of targets) await docker(t, ['build', '-q', '-t', 'bench-build', ctx], classic);
  rows.push(await compare('docker build, cached (10 steps)', rounds, targets, async (t) => {
    const r = await docker(t, ['build', '-t', 'bench-build', ctx], classic);
    if ((r.out.match(/Using cache/g) ?? []).length !== 10) throw new Error(`${t.name}: the rebuild was not all cache:\n${r.out}`);
    return r.ms;
  }));
  const width = [34, 10, 10, 8];
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join(' ');
  console.log(line(['operation (median ms)', 'wharf', 'dockerd', 'ratio']));
  for (const r of rows) console.log(line(r));
} finally {
  for (const t of started) {
    const ids = (await docker(t, ['ps', '-aq']).catch(() => ({ out: '' }))).out.split('\n').filter(Boolean);
    if (ids.length) await docker(t, ['rm', '-f', ...ids]).catch(() => undefined);
  }
  await wharf?.stop();
  await dockerd?.stop();
  for (const ctl of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) await rmdir(join('/sys/fs/cgroup', ctl, cgroupParent)).catch(() => undefined);
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}
