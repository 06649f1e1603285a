import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm, rmdir, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../runtime/util/exec.ts';
import { buildSpec, hostCapabilities, writeSpec, type SpecOptions } from '../../runtime/oci/index.ts';

const RUNC = process.env.WHARF_RUNTIME ?? 'runc';
const BUSYBOX = '/bin/busybox';
const CGROUP_ROOT = '/sys/fs/cgroup';

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);
const skip = process.getuid?.() !== 0 ? 'needs root' : undefined;

/** Every cgroup directory named `rel` in any hierarchy (v1 controllers, the unified mount, or a v2 root). */
async function cgroupDirs(rel: string): Promise<string[]> {
  const roots = [CGROUP_ROOT, ...(await readdir(CGROUP_ROOT).catch(() => [] as string[])).map((d) => join(CGROUP_ROOT, d))];
  const found: string[] = [];
  for (const r of roots) if (await exists(join(r, rel))) found.push(join(r, rel));
  return found;
}

interface Bundle { dir: string; root: string; id: string; parent: string }

async function makeBundle(): Promise<Bundle> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-oci-runc-'));
  await mkdir(join(dir, 'rootfs', 'bin'), { recursive: true });
  await copyFile(BUSYBOX, join(dir, 'rootfs', 'bin', 'busybox'));
  await symlink('busybox', join(dir, 'rootfs', 'bin', 'sh'));
  const tag = randomBytes(6).toString('hex');
  return { dir, root: join(dir, 'runc-root'), id: `wharf-test-${tag}`, parent: `wharf-test-${tag}` };
}

/** runc run in the foreground with piped stdio; resolves with its output and exit code. */
function runcRun(b: Bundle): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(RUNC, ['--root', b.root, 'run', '--bundle', b.dir, b.id], { cwd: b.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function cleanup(b: Bundle): Promise<void> {
  await run(RUNC, ['--root', b.root, 'delete', '-f', b.id], { allowFail: true });
  // runc removes the container's own cgroup; the parent it created along the way is ours to remove.
  for (const d of await cgroupDirs(b.parent)) await rmdir(d).catch(() => undefined);
  await rm(b.dir, { recursive: true, force: true });
}

function options(b: Bundle, over: Partial<SpecOptions>): SpecOptions {
  return {
    args: ['sh', '-c', 'echo ok'], env: [], cwd: '/', user: { uid: 0, gid: 0, additionalGids: [0] }, terminal: false,
    hostname: 'wharf-test', rootfs: 'rootfs', mounts: [], cgroupsPath: `/${b.parent}/${b.id}`, ...over,
  };
}

test('runc runs a container from the built spec and deletes its cgroup', { skip }, async () => {
  const b = await makeBundle();
  try {
    await writeSpec(b.dir, buildSpec(options(b, {})));
    const res = await runcRun(b);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'ok\n');
    await run(RUNC, ['--root', b.root, 'delete', '-f', b.id], { allowFail: true });
    assert.deepEqual(await cgroupDirs(`${b.parent}/${b.id}`), [], 'runc removed the container cgroup');
  } finally {
    await cleanup(b);
  }
});

test('limits, identity, mounts and read-only rootfs reach the container', { skip }, async () => {
  const b = await makeBundle();
  try {
    const script = [
      'id -u; id -G; hostname; echo "$HOSTNAME" "$GREETING"',
      'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max',
      'cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max',
      'touch /rootfs-write 2>/dev/null && echo rootfs-rw || echo rootfs-ro',
      'touch /scratch/f && echo scratch-rw',
      'grep CapEff /proc/self/status',
    ].join('; ');
    await writeSpec(b.dir, buildSpec(options(b, {
      args: ['sh', '-c', script], env: ['GREETING=hi'], user: { uid: 1000, gid: 1000, additionalGids: [1000, 29] },
      hostname: 'limits', readonlyRootfs: true, memory: { limit: 64 * 1024 * 1024 }, pidsLimit: 32,
      mounts: [{ destination: '/scratch', type: 'tmpfs', options: ['mode=1777', 'size=1m'] }],
      hostCapabilities: await hostCapabilities(),
    })));
    const res = await runcRun(b);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(res.stdout.trim().split('\n'), [
      '1000', '1000 29', 'limits', 'limits hi', String(64 * 1024 * 1024), '32', 'rootfs-ro', 'scratch-rw',
      'CapEff:\t0000000000000000',
    ]);
  } finally {
    await cleanup(b);
  }
});
