/**
 * A thousand containers, Wharf beside Debian's dockerd: `docker system df` and `docker ps -a -s`
 * with the stock CLI, alternating runs, and how late Wharf's event loop ran meanwhile (from its
 * `/api/health`), with the time a `/_ping` sent during each df took to come back.
 *
 *   node --import tsx bench/many.ts [--count N] [--rounds N]
 *
 * Wharf runs as `npm start` runs it (server/index.ts with the dashboard; the Next build is made
 * first if missing). dockerd gets a private data root and socket, `--bridge=none
 * --iptables=false`, and never touches docker0. Everything started here is removed at the end.
 */
import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { ensureDockerd, startDockerd, type Dockerd } from '../test/helpers/dockerd.ts';
import { pool, startWharf, type Wharf } from '../test/e2e/support/server.ts';

const arg = (name: string, fallback: number): number => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const count = arg('--count', 1000);
const rounds = arg('--rounds', 5);
const repoRoot = join(import.meta.dirname, '..');
const dir = await mkdtemp(join(tmpdir(), 'wharf-bench-many-'));

interface Target { name: string; sock: string }
interface Delay { p50: number; p99: number; max: number }

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd?: string): Promise<{ ms: number; out: string }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.trim()}`));
      else resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, out });
    });
  });
}

const docker = (t: Target, args: string[]) => run('docker', args, { ...process.env, DOCKER_HOST: `unix://${t.sock}`, DOCKER_CONFIG: join(dir, 'cli') });

function get(opts: http.RequestOptions): Promise<{ ms: number; body: string }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = http.request({ agent: false, ...opts }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Run `args` with the CLI and, once it is under way, one /_ping; both times in ms. */
async function withPing(t: Target, args: string[]): Promise<{ ms: number; pingMs: number }> {
  const cli = docker(t, args);
  await new Promise((r) => setTimeout(r, 30)); // the CLI's own start-up, so the ping lands mid-request
  const ping = await get({ socketPath: t.sock, path: '/_ping' });
  return { ms: (await cli).ms, pingMs: ping.ms };
}

let wharf: Wharf | undefined;
let dockerd: Dockerd | undefined;
const worst: Delay = { p50: 0, p99: 0, max: 0 };
let polling = false;
try {
  const why = await ensureDockerd();
  if (why) throw new Error(`dockerd is not available: ${why}`);
  if (!(await access(join(repoRoot, '.next', 'BUILD_ID')).then(() => true, () => false))) await run('bash', ['scripts/setup.sh'], process.env, repoRoot);
  wharf = await startWharf('bench-many');
  await mkdir(join(dir, 'dockerd'), { recursive: true });
  const d = await startDockerd(join(dir, 'dockerd'), 'overlay2');
  if (typeof d === 'string') throw new Error(d);
  dockerd = d;
  const targets: Target[] = [{ name: 'wharf', sock: wharf.socket }, { name: 'dockerd', sock: dockerd.sock }];
  // The same image on both sides: Wharf's busybox, saved and loaded into dockerd.
  const archive = join(dir, 'busybox.tar');
  await docker(targets[0]!, ['save', '-o', archive, 'busybox:latest']);
  await dockerd.docker(['load', '-i', archive]);

  for (const t of targets) {
    const api = new Docker({ socketPath: t.sock });
    const started = Date.now();
    await pool(Array.from({ length: count }, (_v, i) => i), 16, (i) => api.createContainer({ name: `many-${i}`, Image: 'busybox:latest', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } }));
    console.log(`${t.name}: created ${count} containers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  // Wharf's loop delay, sampled all through the measurements.
  polling = true;
  const url = new URL(wharf.url);
  const poller = (async () => {
    while (polling) {
      const h = JSON.parse((await get({ host: url.hostname, port: url.port, path: '/api/health' })).body) as { eventLoopDelay: Delay };
      for (const k of ['p50', 'p99', 'max'] as const) worst[k] = Math.max(worst[k], h.eventLoopDelay[k]);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();

  const rows: string[][] = [];
  for (const [label, args] of [[`docker system df (${count} containers)`, ['system', 'df']], [`docker ps -a -s (${count} containers)`, ['ps', '-a', '-s']]] as const) {
    const times = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    const pings = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    for (let i = 0; i < rounds; i++) {
      for (const t of i % 2 === 0 ? targets : [...targets].reverse()) {
        const r = await withPing(t, [...args]);
        times.get(t.name)!.push(r.ms);
        pings.get(t.name)!.push(r.pingMs);
      }
    }
    const [w, k] = targets.map((t) => median(times.get(t.name)!)) as [number, number];
    const [wp, kp] = targets.map((t) => median(pings.get(t.name)!)) as [number, number];
    rows.push([label, w.toFixed(0), k.toFixed(0), (w / k).toFixed(2)]);
    rows.push(['  /_ping sent during it', wp.toFixed(1), kp.toFixed(1), (wp / kp).toFixed(2)]);
  }
  polling = false;
  await poller;
  const health = JSON.parse((await get({ host: url.hostname, port: url.port, path: '/api/health' })).body) as { eventLoopDelay: Delay };

  const width = [40, 10, 10, 8];
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join(' ');
  console.log(line(['operation (median ms)', 'wharf', 'dockerd', 'ratio']));
  for (const r of rows) console.log(line(r));
  console.log(`wharf /api/health event-loop delay during the bench (worst seen, ms): p50 ${worst.p50}, p99 ${worst.p99}, max ${worst.max}`);
  console.log(`wharf /api/health at the end: ${JSON.stringify(health.eventLoopDelay)}`);
} finally {
  polling = false;
  if (dockerd) {
    const ids = (await dockerd.docker(['ps', '-aq']).catch(() => '')).split('\n').filter(Boolean);
    for (let i = 0; i < ids.length; i += 200) await dockerd.docker(['rm', '-f', ...ids.slice(i, i + 200)]).catch(() => undefined);
  }
  await wharf?.stop();
  await dockerd?.stop();
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}
