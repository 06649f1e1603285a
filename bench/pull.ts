/**
 * `docker pull` of a ~50 MB image from a local registry (Debian's docker-registry) into an
 * empty store, Wharf beside Debian's dockerd, alternating rounds. The image is one layer of
 * random (incompressible) bytes, made by importing a tar into Wharf and pushing it.
 *
 *   node --import tsx bench/pull.ts [--rounds N] [--mb M]
 *
 * Everything started here is removed at the end.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';
import { ensureDockerd, startDockerd, type Dockerd } from '../test/helpers/dockerd.ts';
import { startRegistry, type TestRegistry } from '../test/helpers/registry.ts';

const arg = (name: string, fallback: number): number => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const rounds = arg('--rounds', 5);
const mb = arg('--mb', 50);
const dir = await mkdtemp(join(tmpdir(), 'wharf-bench-pull-'));
const cgroupParent = `/wharf-bench-${dir.split('-').at(-1)}`;

function docker(sock: string, args: string[], input?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('docker', args, { env: { ...process.env, DOCKER_HOST: `unix://${sock}`, DOCKER_CONFIG: join(dir, 'cli') }, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`docker ${args.join(' ')}: ${err.trim()}`))));
    child.stdin.end(input);
  });
}

async function randomTar(bytes: number): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name: 'data.bin', size: bytes }, randomBytes(bytes));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function startWharf(): Promise<{ sock: string; stop: () => Promise<void> }> {
  const sock = join(dir, 'wharf.sock');
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'wharf-engine.ts')], {
    env: { ...process.env, WHARF_ROOT: join(dir, 'wharf-root'), WHARF_RUN: join(dir, 'wharf-run'), WHARF_SOCKET: sock, WHARF_CGROUP_PARENT: cgroupParent },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
    child.on('exit', (code) => reject(new Error(`wharf exited with ${code}`)));
  });
  return { sock, stop: async () => { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); } };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

let wharf: Awaited<ReturnType<typeof startWharf>> | undefined;
let dockerd: Dockerd | undefined;
let registry: TestRegistry | undefined;
try {
  const why = await ensureDockerd();
  if (why) throw new Error(`dockerd is not available: ${why}`);
  registry = await startRegistry();
  wharf = await startWharf();
  await mkdir(join(dir, 'dockerd'), { recursive: true });
  const d = await startDockerd(join(dir, 'dockerd'), 'overlay2');
  if (typeof d === 'string') throw new Error(d);
  dockerd = d;
  const image = `${registry.host}/bench/random:${mb}mb`;
  await docker(wharf.sock, ['import', '-', image], await randomTar(mb * 1024 * 1024));
  await docker(wharf.sock, ['push', image]);
  await docker(wharf.sock, ['rmi', image]);
  const times: Record<string, number[]> = { wharf: [], dockerd: [] };
  const targets = [{ name: 'wharf', sock: wharf.sock }, { name: 'dockerd', sock: dockerd.sock }];
  for (let i = 0; i < rounds; i++) {
    for (const t of i % 2 ? [...targets].reverse() : targets) {
      times[t.name]!.push(await docker(t.sock, ['pull', '-q', image]));
      await docker(t.sock, ['rmi', image]);
    }
  }
  const [w, dd] = [median(times.wharf!), median(times.dockerd!)];
  console.log(`docker pull of a ${mb} MB one-layer image from a local registry into an empty store (median of ${rounds}, ms)`);
  console.log(`wharf ${w.toFixed(0)}  dockerd ${dd.toFixed(0)}  ratio ${(w / dd).toFixed(2)}`);
  console.log(`all runs: wharf ${times.wharf!.map((x) => x.toFixed(0)).join(', ')}; dockerd ${times.dockerd!.map((x) => x.toFixed(0)).join(', ')}`);
} finally {
  await wharf?.stop();
  await dockerd?.stop();
  await registry?.stop();
  for (const ctl of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) await rmdir(join('/sys/fs/cgroup', ctl, cgroupParent)).catch(() => undefined);
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}
