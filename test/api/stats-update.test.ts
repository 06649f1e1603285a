import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import type { ContainerStats } from '../../runtime/index.ts';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { eventually } from '../helpers/engine.ts';

const MiB = 1024 * 1024;
let h: ApiHarness;
let limited: string;

before(async () => {
  h = await startApiServer('stats');
  const c = await h.dockerode.createContainer({ name: 'stats-main', Image: 'busybox', Cmd: ['sleep', '1000'], HostConfig: { Memory: 64 * MiB } });
  await c.start();
  limited = c.id;
});

after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

/** GET a stats URL and collect up to `count` JSON readings (the connection is dropped after). */
function readings(path: string, count: number): Promise<{ status: number; items: ContainerStats[] }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath: h.socket, path }, (res) => {
      const items: ContainerStats[] = [];
      let buf = '';
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) items.push(JSON.parse(line) as ContainerStats);
          if (items.length >= count) {
            req.destroy();
            return resolve({ status: res.statusCode ?? 0, items });
          }
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, items }));
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
  });
}

function post(path: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method: 'POST', path, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The HostConfig the engine keeps for a container, as inspect shows it. */
async function hostConfig(id: string): Promise<Record<string, unknown> & { Memory?: number; MemorySwap?: number; NanoCpus?: number; RestartPolicy?: { Name: string } }> {
  return (await h.dockerode.getContainer(id).inspect()).HostConfig as never;
}

const v2 = access('/sys/fs/cgroup/cgroup.controllers').then(() => true, () => false);

/** A cgroup file of a container, wherever the host keeps it (v1 per controller, v2 unified). */
async function cgroupFile(id: string, v1: [string, string], v2file: string): Promise<string> {
  const parent = h.config.cgroupParent;
  const path = (await v2) ? join('/sys/fs/cgroup', parent, id, v2file) : join('/sys/fs/cgroup', v1[0], parent, id, v1[1]);
  return (await readFile(path, 'utf8')).trim();
}

test('docker stats --no-stream shows the memory limit and a CPU percentage', async () => {
  const r = await h.docker(['stats', '--no-stream', '--format', '{{.MemUsage}} {{.CPUPerc}}', 'stats-main']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^[\d.]+[KMG]?i?B \/ 64MiB \d+\.\d+%$/);
});

test('the stats stream sends one reading per second, each carrying the previous CPU figures', async () => {
  const { status, items } = await readings('/containers/stats-main/stats', 2);
  assert.equal(status, 200);
  assert.equal(items.length, 2);
  const [a, b] = items as [ContainerStats, ContainerStats];
  assert.deepEqual(Object.keys(b).slice(0, 11), ['read', 'preread', 'pids_stats', 'blkio_stats', 'num_procs', 'storage_stats', 'cpu_stats', 'precpu_stats', 'memory_stats', 'name', 'id']);
  assert.equal(a.preread, '0001-01-01T00:00:00Z');
  assert.equal(a.precpu_stats.cpu_usage.total_usage, 0);
  assert.equal(b.preread, a.read);
  assert.deepEqual(b.precpu_stats, a.cpu_stats);
  assert.ok(Date.parse(b.read) > Date.parse(a.read));
  assert.equal(b.name, '/stats-main');
  assert.equal(b.id, limited);
  assert.equal(b.memory_stats.limit, 64 * MiB);
  assert.ok(b.memory_stats.usage! > 0);
  assert.ok(b.pids_stats.current! >= 1);
  assert.ok(b.cpu_stats.online_cpus! >= 1);
  assert.ok(b.cpu_stats.system_cpu_usage! > a.cpu_stats.system_cpu_usage!);
  assert.ok(b.cpu_stats.cpu_usage.total_usage > 0);
  assert.ok(Array.isArray(b.blkio_stats.io_service_bytes_recursive) || b.blkio_stats.io_service_bytes_recursive === null);
});

test('stream=false pairs two readings; one-shot answers the first; a stopped container reads as zeros', async () => {
  const paired = await readings('/containers/stats-main/stats?stream=false', 5);
  assert.equal(paired.items.length, 1);
  assert.notEqual(paired.items[0]!.preread, '0001-01-01T00:00:00Z');
  assert.ok(paired.items[0]!.precpu_stats.system_cpu_usage! > 0);
  // The earlier reading is read for its CPU figures alone; they keep dockerd's shape and order.
  assert.deepEqual(Object.keys(paired.items[0]!.precpu_stats), Object.keys(paired.items[0]!.cpu_stats));
  assert.ok(paired.items[0]!.precpu_stats.cpu_usage.total_usage <= paired.items[0]!.cpu_stats.cpu_usage.total_usage);
  const once = await readings('/containers/stats-main/stats?stream=false&one-shot=true', 5);
  assert.equal(once.items.length, 1);
  assert.equal(once.items[0]!.preread, '0001-01-01T00:00:00Z');
  assert.equal(once.items[0]!.memory_stats.limit, 64 * MiB);
  const bad = await readings('/containers/stats-main/stats?stream=true&one-shot=true', 1);
  assert.equal(bad.status, 400);
  const c = await h.dockerode.createContainer({ name: 'stats-stopped', Image: 'busybox', Cmd: ['true'] });
  const zero = await readings(`/containers/${c.id}/stats?stream=false`, 5);
  assert.equal(zero.items.length, 1);
  assert.equal(zero.items[0]!.name, '/stats-stopped');
  assert.equal(zero.items[0]!.read, '0001-01-01T00:00:00Z');
  assert.deepEqual(zero.items[0]!.memory_stats, {});
  assert.equal((await readings('/containers/nope/stats?stream=false', 1)).status, 404);
});

test('streaming docker stats prints at least two samples', async () => {
  const child = spawn('docker', ['stats', '--format', 'sample {{.Name}} {{.MemUsage}}', 'stats-main'], {
    env: { ...process.env, DOCKER_HOST: `unix://${h.socket}`, DOCKER_CONFIG: join(h.config.runRoot, 'docker-config'), DOCKER_CLI_HINTS: 'false' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const closed = new Promise((r) => child.on('close', r));
  try {
    await eventually(() => (out.match(/sample stats-main [\d.]+\w+ \/ 64MiB/g) ?? []).length >= 2, 'two samples from docker stats', 15_000);
  } finally {
    child.kill('SIGKILL');
    await closed;
  }
});

test('docker update changes limits live, in the record and in the cgroup', async () => {
  const r = await h.docker(['update', '--memory', '32m', '--memory-swap', '64m', '--cpus', '0.5', '--restart', 'always', 'stats-main']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'stats-main');
  const hc = await hostConfig(limited);
  assert.equal(hc.Memory, 32 * MiB);
  assert.equal(hc.MemorySwap, 64 * MiB);
  assert.equal(hc.NanoCpus, 5e8);
  assert.equal(hc.RestartPolicy?.Name, 'always');
  const i = await h.docker(['inspect', '--format', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.RestartPolicy.Name}}', 'stats-main']);
  assert.equal(i.stdout.trim(), `${32 * MiB} ${64 * MiB} 500000000 always`);
  if (await v2) {
    assert.equal(await cgroupFile(limited, ['', ''], 'memory.max'), String(32 * MiB));
    assert.equal(await cgroupFile(limited, ['', ''], 'cpu.max'), '50000 100000');
  } else {
    assert.equal(await cgroupFile(limited, ['memory', 'memory.limit_in_bytes'], ''), String(32 * MiB));
    assert.equal(await cgroupFile(limited, ['memory', 'memory.memsw.limit_in_bytes'], ''), String(64 * MiB));
    assert.equal(await cgroupFile(limited, ['cpu', 'cpu.cfs_quota_us'], ''), '50000');
    assert.equal(await cgroupFile(limited, ['cpu', 'cpu.cfs_period_us'], ''), '100000');
  }
  const p = await h.docker(['update', '--pids-limit', '50', 'stats-main']);
  assert.equal(p.code, 0, p.stderr);
  assert.equal(await cgroupFile(limited, ['pids', 'pids.max'], 'pids.max'), '50');
  const s = await h.docker(['stats', '--no-stream', '--format', '{{.MemUsage}}', 'stats-main']);
  assert.match(s.stdout, /\/ 32MiB/);
});

test('bad updates are 400s that change nothing', async () => {
  const before = await hostConfig(limited);
  const small = await h.docker(['update', '--memory', '1m', 'stats-main']);
  assert.notEqual(small.code, 0);
  assert.match(small.stderr, /Minimum memory limit allowed is 6MB/);
  const cpus = await h.docker(['update', '--cpus', '999', 'stats-main']);
  assert.match(cpus.stderr, /Range of CPUs is from 0\.01/);
  const policy = await h.docker(['update', '--restart', 'sometimes', 'stats-main']);
  assert.notEqual(policy.code, 0);
  for (const body of [{ Memory: 1024 }, { RestartPolicy: { Name: 'sometimes' } }, { CpusetCpus: '0-999' }, { Memory: 'lots' }]) {
    const api = await post('/containers/stats-main/update', body);
    assert.equal(api.status, 400, JSON.stringify(body));
  }
  const free = await h.dockerode.createContainer({ name: 'stats-free', Image: 'busybox', Cmd: ['true'] });
  const noSwap = await h.docker(['update', '--memory', '32m', 'stats-free']);
  assert.match(noSwap.stderr, /Memory limit should be smaller than already set memoryswap limit/);
  assert.deepEqual(await hostConfig(limited), before);
  assert.equal((await hostConfig(free.id)).Memory ?? 0, 0);
});

test('an update of a stopped container is kept and applied at its next start', async () => {
  const c = await h.dockerode.createContainer({ name: 'stats-later', Image: 'busybox', Cmd: ['sleep', '1000'] });
  const r = await h.docker(['update', '--memory', '48m', '--memory-swap', '96m', 'stats-later']);
  assert.equal(r.code, 0, r.stderr);
  await c.start();
  const file = (await v2) ? await cgroupFile(c.id, ['', ''], 'memory.max') : await cgroupFile(c.id, ['memory', 'memory.limit_in_bytes'], '');
  assert.equal(file, String(48 * MiB));
});
