/**
 * The "Under the hood" view read from the real kernel: namespaces of a running busybox, its
 * cgroup limits (v1 or v2), its overlay layers named by the image's diffIDs, and the bundle's
 * OCI spec; a stopped container keeps only the stored parts (layers, mounts).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readlink } from 'node:fs/promises';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
const MiB = 1024 * 1024;

before(async () => { t = await startTestEngine('kview'); });

after(async () => {
  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] }, 'the test run left nothing behind');
});

test('a running container: own namespaces, its memory and pids limits, its layers and its spec', async () => {
  const c = await t.engine.containers.create({
    config: { Image: 'busybox', Cmd: ['sh', '-c', 'echo written > /marker; sleep 300'] },
    hostConfig: { Memory: 64 * MiB, PidsLimit: 50, PidMode: 'host' },
  });
  await t.engine.containers.start(c.id);
  const view = await t.engine.containers.inspectKernel(c.id);
  assert.equal(view.running, true);
  assert.ok(view.namespaces?.ok, 'namespaces read');
  const ns = Object.fromEntries(view.namespaces.value.map((n) => [n.type, n]));
  assert.equal(ns.mnt!.sharedWith, 'own', 'a container has its own mount namespace');
  assert.equal(ns.uts!.sharedWith, 'own');
  assert.equal(ns.pid!.sharedWith, 'host', '--pid host shares the host pid namespace');
  assert.equal(ns.user!.sharedWith, 'host', 'no user namespace remapping');
  const mntLink = await readlink(`/proc/${view.pid}/ns/mnt`);
  assert.equal(mntLink, `mnt:[${ns.mnt!.inode}]`, 'the inode is the kernel\'s');

  assert.ok(view.cgroup?.ok, view.cgroup && !view.cgroup.ok ? view.cgroup.error : 'cgroup read');
  assert.equal(view.cgroup.value.limits.memory, 64 * MiB);
  assert.equal(view.cgroup.value.limits.pids, 50);
  assert.ok((view.cgroup.value.usage.memory ?? 0) > 0, 'memory in use');
  assert.ok((view.cgroup.value.usage.pids ?? 0) >= 1, 'at least the init process');
  assert.ok(view.cgroup.value.files.some((f) => /memory\.(limit_in_bytes|max)/.test(f.file) && f.value === String(64 * MiB)));

  assert.ok(view.overlay.ok);
  const img = t.engine.images.resolve('busybox');
  const cfg = await t.engine.images.config(img.id);
  assert.equal(view.overlay.value.lowerDirs.length, cfg.rootfs.diff_ids.length);
  assert.deepEqual(view.overlay.value.lowerDirs.map((l) => l.diffID).reverse(), cfg.rootfs.diff_ids, 'top-most first, each named by its diffID');
  assert.ok(view.overlay.value.writeBytes >= 'written\n'.length, 'the container\'s own writes are counted');
  assert.match(view.overlay.value.mountinfo ?? '', / \/ .* - overlay /, 'the kernel mounted an overlay at /');

  assert.ok(view.spec?.ok);
  const spec = view.spec.value as { ociVersion: string; linux: { resources: { memory: { limit: number } } } };
  assert.equal(spec.linux.resources.memory.limit, 64 * MiB);

  await t.engine.containers.kill(c.id, 'KILL');
  await t.engine.containers.wait(c.id, 'not-running');
  const stopped = await t.engine.containers.inspectKernel(c.id);
  assert.equal(stopped.running, false);
  assert.equal(stopped.namespaces, null);
  assert.equal(stopped.cgroup, null);
  assert.equal(stopped.spec, null, 'the bundle\'s config.json is removed at stop');
  assert.ok(stopped.overlay.ok && stopped.overlay.value.lowerDirs.length === view.overlay.value.lowerDirs.length, 'the layers are still named');
  assert.ok(stopped.overlay.ok && stopped.overlay.value.mountinfo === null);
});

test('a container that never started has no spec yet', async () => {
  const c = await t.engine.containers.create({ config: { Image: 'busybox', Cmd: ['true'] } });
  const view = await t.engine.containers.inspectKernel(c.id);
  assert.equal(view.running, false);
  assert.equal(view.spec, null);
  assert.ok(view.overlay.ok && view.overlay.value.lowerDirs.length >= 1);
});

// Needs the engine's networking (CNI bridge, portmap): the container's veth pair and the DNAT rule of its port.
test('a container with a published port: its veth pair to the bridge, and the NAT rule that publishes the port', async () => {
  const c = await t.engine.containers.create({
    config: { Image: 'busybox', Cmd: ['sleep', '300'], ExposedPorts: { '80/tcp': {} } },
    hostConfig: { PortBindings: { '80/tcp': [{ HostPort: '' }] } },
  });
  await t.engine.containers.start(c.id);
  const view = await t.engine.containers.inspectKernel(c.id);
  assert.ok(view.network?.ok, view.network && !view.network.ok ? view.network.error : 'netns read');
  const eth = view.network.value.interfaces.find((i) => i.ifname !== 'lo');
  assert.ok(eth, 'an interface besides loopback');
  const veth = view.network.value.veths[0];
  assert.ok(veth?.hostName && veth.bridge, JSON.stringify(view.network.value));
  assert.equal(veth.hostIfindex, eth.peerIfindex);
  const ip = eth.addresses.find((a) => !a.includes(':'))!.split('/')[0]!;
  assert.ok(view.nat?.ok);
  assert.ok(view.nat.value.some((r) => r.includes('DNAT') && r.includes(`${ip}:80`)), view.nat.value.join('\n'));
  assert.ok(view.nat.value.every((r) => /^-A (WHARF|CNI)-/.test(r)), 'only Wharf\'s and CNI\'s chains');
  await t.engine.containers.remove(c.id, { force: true });
});
