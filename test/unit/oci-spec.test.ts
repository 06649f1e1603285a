import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../runtime/errors.ts';
import {
  applyOpts, buildSpec, capabilitiesFromMask, DEFAULT_CAPABILITIES, defaultSpec, KNOWN_CAPABILITIES, mergeCommand,
  mergeConfigCommand, mergeEnv, mergeTmpfsOptions, processEnv, resolveInRoot, resolveUser, serializeSpec, splitDev,
  withAnnotations, withCapabilities, withCgroupsPath, withCpu, withCwd, withDomainname, withEnv, withHostIpc, withHostname,
  withHostNamespace, withMemory, withMounts, withNetNS, withOomScoreAdj, withPidsLimit, withPrivileged, withProcessArgs,
  withReadonlyRootfs, withRootfs, withShmSize, withSysctls, withTerminal, withUlimits, withUser,
  type Mount, type Spec, type SpecOptions,
} from '../../runtime/oci/index.ts';

const spec = (...opts: ((s: Spec) => void)[]): Spec => applyOpts(defaultSpec(), opts);
const mountAt = (s: Spec, dest: string): Mount | undefined => s.mounts!.find((m) => m.destination === dest);
const nsTypes = (s: Spec): string[] => s.linux!.namespaces!.map((n) => n.type);
const invalid = (fn: () => unknown, re?: RegExp): void => assert.throws(fn, (e: unknown) => e instanceof InvalidArgumentError && (!re || re.test(e.message)));

describe('defaultSpec', () => {
  test('matches moby DefaultLinuxSpec: process', () => {
    const s = defaultSpec();
    assert.equal(s.ociVersion, '1.0.2');
    assert.equal(s.process!.terminal, false);
    assert.deepEqual(s.process!.user, { uid: 0, gid: 0 });
    assert.equal(s.process!.cwd, '/');
    assert.equal(s.process!.noNewPrivileges, false);
    assert.equal(s.process!.rlimits, undefined, 'rlimits are inherited, as Docker does');
    const caps = s.process!.capabilities!;
    const docker = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
      'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE'];
    assert.deepEqual(caps.bounding, docker);
    assert.deepEqual(caps.effective, docker);
    assert.deepEqual(caps.permitted, docker);
    assert.equal(caps.inheritable, undefined);
    assert.equal(caps.ambient, undefined);
  });

  test('mounts, namespaces, masked and read-only paths', () => {
    const s = defaultSpec();
    assert.deepEqual(s.mounts!.map((m) => m.destination), ['/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/dev/shm']);
    assert.deepEqual(mountAt(s, '/dev')!.options, ['nosuid', 'strictatime', 'mode=755', 'size=65536k']);
    assert.deepEqual(mountAt(s, '/dev/pts')!.options, ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']);
    assert.ok(mountAt(s, '/sys')!.options!.includes('ro'));
    assert.equal(mountAt(s, '/sys/fs/cgroup')!.type, 'cgroup');
    assert.ok(mountAt(s, '/sys/fs/cgroup')!.options!.includes('ro'));
    assert.ok(mountAt(s, '/dev/shm')!.options!.includes('size=67108864'));
    assert.deepEqual(nsTypes(s), ['mount', 'network', 'uts', 'pid', 'ipc']);
    for (const p of ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
      '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap']) {
      assert.ok(s.linux!.maskedPaths!.includes(p), p);
    }
    assert.deepEqual(s.linux!.readonlyPaths, ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']);
    assert.equal(s.linux!.seccomp, undefined);
  });

  test('devices: runc creates the nodes, the cgroup denies all then allows moby\'s list', () => {
    const s = defaultSpec();
    assert.deepEqual(s.linux!.devices, []);
    const rules = s.linux!.resources!.devices!;
    assert.deepEqual(rules[0], { allow: false, access: 'rwm' });
    const allowed = rules.filter((r) => r.allow).map((r) => `${r.type} ${r.major}:${r.minor}`);
    assert.deepEqual(allowed, ['c 1:5', 'c 1:3', 'c 1:9', 'c 1:8', 'c 5:0', 'c 5:1']);
    assert.deepEqual(rules.at(-1), { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' });
  });

  test('each call returns an independent spec', () => {
    const a = defaultSpec();
    a.process!.capabilities!.bounding!.pop();
    a.mounts![0]!.options!.push('x');
    const b = defaultSpec();
    assert.equal(b.process!.capabilities!.bounding!.length, 14);
    assert.ok(!b.mounts![0]!.options!.includes('x'));
  });
});

describe('process options', () => {
  test('args, env, user, cwd, terminal, hostname, rootfs', () => {
    const s = spec(withProcessArgs(['sh', '-c', 'true']), withEnv(['A=1']), withUser({ uid: 1000, gid: 100, additionalGids: [100, 5] }),
      withCwd('/srv/app/'), withTerminal(true), withHostname('web'), withRootfs('/var/lib/x/rootfs', true));
    assert.deepEqual(s.process!.args, ['sh', '-c', 'true']);
    assert.deepEqual(s.process!.env, ['A=1']);
    assert.deepEqual(s.process!.user, { uid: 1000, gid: 100, additionalGids: [100, 5] });
    assert.equal(s.process!.cwd, '/srv/app/');
    assert.equal(s.process!.terminal, true);
    assert.equal(s.hostname, 'web');
    assert.deepEqual(s.root, { path: '/var/lib/x/rootfs', readonly: true });
  });

  test('rejections', () => {
    invalid(() => spec(withProcessArgs([])), /no command specified/);
    invalid(() => spec(withCwd('relative/dir')), /absolute path/);
    assert.equal(spec(withCwd('')).process!.cwd, '/');
    invalid(() => spec(withOomScoreAdj(1001)));
    assert.equal(spec(withOomScoreAdj(-500)).process!.oomScoreAdj, -500);
  });

  test('ulimits replace by type, keep others, -1 is unlimited', () => {
    const s = spec(withUlimits([{ name: 'nofile', soft: 1024, hard: 2048 }]), withUlimits([{ name: 'NPROC', soft: 10, hard: 20 }, { name: 'nofile', soft: 50, hard: 60 }]),
      withUlimits([{ name: 'core', soft: -1, hard: -1 }]));
    assert.deepEqual(s.process!.rlimits, [
      { type: 'RLIMIT_NOFILE', soft: 50, hard: 60 },
      { type: 'RLIMIT_NPROC', soft: 10, hard: 20 },
      { type: 'RLIMIT_CORE', soft: -1, hard: -1 },
    ]);
    invalid(() => spec(withUlimits([{ name: 'bogus', soft: 1, hard: 1 }])), /invalid ulimit type/);
    invalid(() => spec(withUlimits([{ name: 'nofile', soft: 10, hard: 5 }])), /soft limit/);
    const json = serializeSpec(s);
    assert.match(json, /"soft": 18446744073709551615/);
    assert.match(json, /"hard": 60/);
  });

  test('annotations merge', () => {
    const s = spec(withAnnotations({ a: '1' }), withAnnotations({ b: '2' }), withAnnotations({}));
    assert.deepEqual(s.annotations, { a: '1', b: '2' });
    assert.equal(spec(withAnnotations({})).annotations, undefined);
  });
});

describe('mounts', () => {
  test('binds become rbind + rprivate, ro kept, propagation and non-recursive honoured', () => {
    const s = spec(withMounts([
      { destination: '/data', type: 'bind', source: '/srv/data', options: ['ro'] },
      { destination: '/etc/hosts', type: 'bind', source: '/c/hosts', options: ['rbind', 'rprivate', 'rw'] },
      { destination: '/shared/', type: 'bind', source: '/srv/s', options: ['bind', 'rslave'] },
    ]));
    assert.deepEqual(mountAt(s, '/data'), { destination: '/data', type: 'bind', source: '/srv/data', options: ['rbind', 'ro', 'rprivate'] });
    assert.deepEqual(mountAt(s, '/etc/hosts')!.options, ['rbind', 'rprivate']);
    assert.deepEqual(mountAt(s, '/shared')!.options, ['bind', 'rslave']);
  });

  test('tmpfs gets Docker\'s defaults, the caller\'s options win', () => {
    const s = spec(withMounts([{ destination: '/run', type: 'tmpfs', options: ['exec', 'size=65536k', 'mode=1777'] }]));
    assert.deepEqual(mountAt(s, '/run'), { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'rprivate', 'exec', 'size=65536k', 'mode=1777'] });
    assert.deepEqual(mergeTmpfsOptions(['size=1m', 'noexec', 'size=2m']), ['noexec', 'size=2m']);
    invalid(() => mergeTmpfsOptions(['bogus']), /invalid tmpfs option/);
    invalid(() => mergeTmpfsOptions(['color=red']), /invalid tmpfs option/);
  });

  test('a user mount replaces the default at the same destination', () => {
    const s = spec(withMounts([{ destination: '/dev/shm', type: 'bind', source: '/host/shm' }, { destination: '/proc/', type: 'tmpfs' }]));
    const shm = s.mounts!.filter((m) => m.destination === '/dev/shm');
    assert.equal(shm.length, 1);
    assert.equal(shm[0]!.source, '/host/shm');
    assert.equal(s.mounts!.filter((m) => m.destination === '/proc').length, 1);
    assert.equal(mountAt(s, '/proc')!.type, 'tmpfs');
    assert.ok(mountAt(s, '/dev/pts'), 'other defaults stay');
  });

  test('a user /dev replaces everything under /dev', () => {
    const s = spec(withMounts([{ destination: '/dev', type: 'bind', source: '/dev' }]));
    assert.deepEqual(s.mounts!.filter((m) => m.destination.startsWith('/dev')).map((m) => m.source), ['/dev']);
  });

  test('user mounts are ordered parents first; bad destinations rejected', () => {
    const s = spec(withMounts([
      { destination: '/a/b/c', type: 'bind', source: '/x' },
      { destination: '/a', type: 'bind', source: '/y' },
      { destination: '/a/b', type: 'tmpfs' },
    ]));
    assert.deepEqual(s.mounts!.slice(-3).map((m) => m.destination), ['/a', '/a/b', '/a/b/c']);
    invalid(() => spec(withMounts([{ destination: 'rel', type: 'bind', source: '/x' }])), /absolute/);
    invalid(() => spec(withMounts([{ destination: '/', type: 'bind', source: '/x' }])));
    invalid(() => spec(withMounts([{ destination: '/x', type: 'bind' }])), /no source/);
  });

  test('shm size replaces the default size; a user /dev/shm is left alone', () => {
    const s = spec(withShmSize(1 << 20));
    assert.deepEqual(mountAt(s, '/dev/shm')!.options!.filter((o) => o.startsWith('size=')), ['size=1048576']);
    const u = spec(withMounts([{ destination: '/dev/shm', type: 'tmpfs', options: ['size=5m'] }]), withShmSize(1 << 20));
    assert.ok(mountAt(u, '/dev/shm')!.options!.includes('size=5m'));
    invalid(() => spec(withShmSize(-1)));
  });

  test('read-only rootfs marks root and default mounts, not user mounts or writable /dev, /proc', () => {
    const s = spec(withMounts([{ destination: '/data', type: 'bind', source: '/d' }]), withReadonlyRootfs());
    assert.equal(s.root!.readonly, true);
    for (const d of ['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/data']) assert.ok(!mountAt(s, d)!.options!.includes('ro'), d);
    assert.equal(mountAt(s, '/sys')!.options!.filter((o) => o === 'ro').length, 1);
    assert.ok(mountAt(s, '/sys/fs/cgroup')!.options!.includes('ro'));
    assert.equal(spec(withReadonlyRootfs(false)).root!.readonly, false);
  });
});

describe('resources', () => {
  test('memory: limit, reservation, swap total (-1 unlimited), swappiness', () => {
    const mb = 1024 * 1024;
    assert.deepEqual(spec(withMemory({ limit: 256 * mb, reservation: 128 * mb, swap: 512 * mb, swappiness: 10 })).linux!.resources!.memory,
      { limit: 256 * mb, reservation: 128 * mb, swap: 512 * mb, swappiness: 10 });
    assert.deepEqual(spec(withMemory({ limit: 256 * mb, swap: -1 })).linux!.resources!.memory, { limit: 256 * mb, swap: -1 });
    assert.equal(spec(withMemory({ swappiness: -1 })).linux!.resources!.memory, undefined);
    invalid(() => spec(withMemory({ limit: 1024 })), /6MB/);
    invalid(() => spec(withMemory({ limit: 64 * mb, swap: 32 * mb })), /larger than memory/);
    invalid(() => spec(withMemory({ swap: 64 * mb })), /Memory limit/);
    invalid(() => spec(withMemory({ swappiness: 101 })));
  });

  test('cpu: NanoCpus become quota over a 100ms period; shares 0 is unset', () => {
    assert.deepEqual(spec(withCpu({ nanoCpus: 1.5e9 })).linux!.resources!.cpu, { period: 100000, quota: 150000 });
    assert.deepEqual(spec(withCpu({ nanoCpus: 1e7 })).linux!.resources!.cpu, { period: 100000, quota: 1000 });
    assert.deepEqual(spec(withCpu({ shares: 512, cpusetCpus: '0-1', cpusetMems: '0' })).linux!.resources!.cpu, { shares: 512, cpus: '0-1', mems: '0' });
    assert.deepEqual(spec(withCpu({ quota: 50000, period: 200000 })).linux!.resources!.cpu, { quota: 50000, period: 200000 });
    assert.equal(spec(withCpu({ shares: 0 })).linux!.resources!.cpu, undefined);
    invalid(() => spec(withCpu({ nanoCpus: 1e9, quota: 1000 })), /Conflicting/);
    invalid(() => spec(withCpu({ nanoCpus: 1e9, period: 1000 })), /Conflicting/);
    invalid(() => spec(withCpu({ shares: -1 })));
  });

  test('pids: 0 or negative is unlimited (-1)', () => {
    assert.deepEqual(spec(withPidsLimit(100)).linux!.resources!.pids, { limit: 100 });
    assert.deepEqual(spec(withPidsLimit(0)).linux!.resources!.pids, { limit: -1 });
    assert.equal(spec(withPidsLimit(undefined)).linux!.resources!.pids, undefined);
  });

  test('cgroups path', () => {
    assert.equal(spec(withCgroupsPath('/wharf/abc')).linux!.cgroupsPath, '/wharf/abc');
    invalid(() => spec(withCgroupsPath('relative/x')));
  });
});

describe('namespaces', () => {
  test('netns: new, none, joined by path, host', () => {
    const net = (s: Spec) => s.linux!.namespaces!.filter((n) => n.type === 'network');
    assert.deepEqual(net(spec(withNetNS(undefined))), [{ type: 'network' }]);
    assert.deepEqual(net(spec(withNetNS('none'))), [{ type: 'network' }]);
    assert.deepEqual(net(spec(withNetNS('/run/wharf/netns/abc'))), [{ type: 'network', path: '/run/wharf/netns/abc' }]);
    assert.deepEqual(net(spec(withNetNS('host'))), []);
    assert.deepEqual(net(spec(withNetNS('host'), withNetNS(undefined))), [{ type: 'network' }]);
    invalid(() => spec(withNetNS('netns/abc')));
  });

  test('host pid, uts (drops hostname), ipc (shares /dev/shm)', () => {
    assert.ok(!nsTypes(spec(withHostNamespace('pid'))).includes('pid'));
    const uts = spec(withHostname('web'), withHostNamespace('uts'));
    assert.ok(!nsTypes(uts).includes('uts'));
    assert.equal(uts.hostname, undefined);
    const ipc = spec(withHostIpc());
    assert.ok(!nsTypes(ipc).includes('ipc'));
    assert.deepEqual(ipc.mounts!.filter((m) => m.destination === '/dev/shm'), [{ destination: '/dev/shm', type: 'bind', source: '/dev/shm', options: ['rbind', 'rprivate'] }]);
  });

  test('sysctls merge; domainname is the kernel.domainname sysctl', () => {
    const s = spec(withSysctls({ 'net.core.somaxconn': '1024' }), withSysctls({ 'kernel.shmmax': '1' }), withDomainname('example.org'), withDomainname(undefined));
    assert.deepEqual(s.linux!.sysctl, { 'net.core.somaxconn': '1024', 'kernel.shmmax': '1', 'kernel.domainname': 'example.org' });
  });
});

describe('capabilities and privileged', () => {
  test('add/drop with Docker names', () => {
    const s = spec(withCapabilities(['net_admin', 'CAP_SYS_PTRACE'], ['chown', 'Cap_Kill']));
    const caps = s.process!.capabilities!;
    assert.ok(caps.bounding!.includes('CAP_NET_ADMIN') && caps.bounding!.includes('CAP_SYS_PTRACE'));
    assert.ok(!caps.bounding!.includes('CAP_CHOWN') && !caps.bounding!.includes('CAP_KILL'));
    assert.deepEqual(caps.effective, caps.bounding);
    assert.deepEqual(caps.permitted, caps.bounding);
    assert.equal(caps.inheritable, undefined);
  });

  test('ALL', () => {
    assert.deepEqual(spec(withCapabilities([], ['ALL'])).process!.capabilities!.bounding, []);
    assert.deepEqual(spec(withCapabilities(['chown'], ['all'])).process!.capabilities!.bounding, ['CAP_CHOWN']);
    const all = spec(withCapabilities(['ALL'], ['sys_admin'])).process!.capabilities!.bounding!;
    assert.equal(all.length, KNOWN_CAPABILITIES.length - 1);
    assert.ok(!all.includes('CAP_SYS_ADMIN'));
    const avail = spec(withCapabilities(['ALL'], [], ['CAP_CHOWN', 'CAP_KILL'])).process!.capabilities!.bounding;
    assert.deepEqual(avail, ['CAP_CHOWN', 'CAP_KILL']);
  });

  test('unknown or unavailable capabilities are rejected', () => {
    invalid(() => spec(withCapabilities(['FLY'])), /unknown capability: "CAP_FLY"/);
    invalid(() => spec(withCapabilities(['SYS_ADMIN'], [], ['CAP_CHOWN'])), /not available/);
  });

  test('privileged: all caps, nothing masked, /sys and cgroup writable, every device allowed', () => {
    const dev = { path: '/dev/loop0', type: 'b' as const, major: 7, minor: 0, fileMode: 0o660, uid: 0, gid: 6 };
    const s = spec(withReadonlyRootfs(), withPrivileged({ hostDevices: [dev] }));
    assert.deepEqual(s.process!.capabilities!.bounding, [...KNOWN_CAPABILITIES]);
    assert.equal(s.linux!.maskedPaths, undefined);
    assert.equal(s.linux!.readonlyPaths, undefined);
    assert.ok(!mountAt(s, '/sys')!.options!.includes('ro'));
    assert.ok(!mountAt(s, '/sys/fs/cgroup')!.options!.includes('ro'));
    assert.deepEqual(s.linux!.resources!.devices, [{ allow: true, access: 'rwm' }]);
    assert.deepEqual(s.linux!.devices, [dev]);
    const limited = spec(withPrivileged({ available: ['CAP_SYS_ADMIN', 'CAP_CHOWN'] }));
    assert.deepEqual(limited.process!.capabilities!.bounding, ['CAP_CHOWN', 'CAP_SYS_ADMIN']);
  });

  test('a /proc/self/status mask decodes to capability names', () => {
    assert.deepEqual(capabilitiesFromMask('00000000a80425fb').sort(), [...DEFAULT_CAPABILITIES].sort());
    assert.equal(capabilitiesFromMask('000001ffffffffff').length, 41);
  });

  test('device numbers split as glibc encodes them', () => {
    const makedev = (ma: bigint, mi: bigint): bigint => (mi & 0xffn) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) | ((ma & 0xfffff000n) << 32n);
    assert.deepEqual(splitDev(makedev(1n, 3n)), { major: 1, minor: 3 });
    assert.deepEqual(splitDev(makedev(259n, 70000n)), { major: 259, minor: 70000 });
    assert.deepEqual(splitDev(makedev(5000n, 1n)), { major: 5000, minor: 1 });
  });
});

describe('buildSpec', () => {
  const base: SpecOptions = {
    args: ['/bin/sh'], env: ['FOO=bar', 'PATH=/opt/bin'], cwd: '/', user: { uid: 0, gid: 0, additionalGids: [0] }, terminal: true,
    hostname: 'abc123', rootfs: 'rootfs', mounts: [{ destination: '/etc/hosts', type: 'bind', source: '/c/hosts', options: ['rbind', 'rprivate', 'rw'] }],
    cgroupsPath: '/wharf/abc123',
  };

  test('composes Docker\'s process environment, defaults and mounts', () => {
    const s = buildSpec(base);
    assert.deepEqual(s.process!.env, ['PATH=/opt/bin', 'HOSTNAME=abc123', 'TERM=xterm', 'FOO=bar']);
    assert.equal(s.process!.terminal, true);
    assert.equal(s.hostname, 'abc123');
    assert.equal(s.linux!.cgroupsPath, '/wharf/abc123');
    assert.equal(s.process!.oomScoreAdj, undefined);
    assert.deepEqual(s.linux!.sysctl, { 'net.ipv4.ping_group_range': '0 2147483647', 'net.ipv4.ip_unprivileged_port_start': '0' });
    assert.deepEqual(mountAt(s, '/etc/hosts')!.options, ['rbind', 'rprivate']);
    assert.ok(mountAt(s, '/dev/shm')!.options!.includes('size=67108864'));
    assert.deepEqual(s.root, { path: 'rootfs', readonly: false });
    assert.doesNotThrow(() => JSON.parse(serializeSpec(s)));
  });

  test('host network: no netns, no network sysctls, net.* sysctls rejected', () => {
    const s = buildSpec({ ...base, netns: 'host' });
    assert.ok(!nsTypes(s).includes('network'));
    assert.deepEqual(s.linux!.sysctl, {});
    invalid(() => buildSpec({ ...base, netns: 'host', sysctls: { 'net.ipv4.ip_forward': '1' } }), /host network namespace/);
  });

  test('user sysctls override the defaults; host uts drops hostname and domainname', () => {
    const s = buildSpec({ ...base, sysctls: { 'net.ipv4.ip_unprivileged_port_start': '1024' }, domainname: 'example.org' });
    assert.equal(s.linux!.sysctl!['net.ipv4.ip_unprivileged_port_start'], '1024');
    assert.equal(s.linux!.sysctl!['kernel.domainname'], 'example.org');
    const h = buildSpec({ ...base, utsHost: true, domainname: 'example.org' });
    assert.equal(h.hostname, undefined);
    assert.equal(h.linux!.sysctl!['kernel.domainname'], undefined);
  });

  test('resources, readonly, privileged compose', () => {
    const s = buildSpec({ ...base, memory: { limit: 64 << 20, swap: -1 }, cpu: { nanoCpus: 5e8, shares: 0 }, pidsLimit: 0, readonlyRootfs: true,
      privileged: true, hostCapabilities: ['CAP_CHOWN'], shmSize: 1 << 20, oomScoreAdj: 100, capDrop: ['ALL'], capAdd: ['bogus'],
      ulimits: [{ name: 'nofile', soft: 100, hard: 200 }], annotations: { 'org.example': 'x' }, pidHost: true, ipcHost: true });
    assert.deepEqual(s.linux!.resources!.memory, { limit: 64 << 20, swap: -1 });
    assert.deepEqual(s.linux!.resources!.cpu, { period: 100000, quota: 50000 });
    assert.deepEqual(s.linux!.resources!.pids, { limit: -1 });
    assert.deepEqual(s.linux!.resources!.devices, [{ allow: true, access: 'rwm' }]);
    assert.equal(s.root!.readonly, true);
    assert.ok(!mountAt(s, '/sys')!.options!.includes('ro'), 'privileged wins over read-only rootfs for /sys');
    assert.deepEqual(s.process!.capabilities!.bounding, ['CAP_CHOWN'], 'privileged ignores CapDrop');
    assert.equal(mountAt(s, '/dev/shm')!.type, 'bind');
    assert.deepEqual(nsTypes(s), ['mount', 'network', 'uts']);
    assert.equal(s.process!.oomScoreAdj, 100);
    assert.deepEqual(s.process!.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 100, hard: 200 }]);
    assert.deepEqual(s.annotations, { 'org.example': 'x' });
  });
});

describe('env and command', () => {
  test('mergeEnv: user entries first, image entries the user did not override', () => {
    assert.deepEqual(mergeEnv(['PATH=/img', 'A=1', 'B=2'], ['B=user', 'C=3']), ['B=user', 'C=3', 'PATH=/img', 'A=1']);
    assert.deepEqual(mergeEnv(['A=1'], []), ['A=1']);
    assert.deepEqual(mergeEnv([], ['X=1']), ['X=1']);
  });

  test('processEnv: default PATH and HOSTNAME, TERM with a terminal, overrides in place, key without = unsets', () => {
    assert.deepEqual(processEnv(['A=1'], { hostname: 'h', terminal: false }),
      ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=h', 'A=1']);
    assert.deepEqual(processEnv(['TERM=vt100', 'PATH=/x', 'A=1', 'A=2'], { hostname: 'h', terminal: true }), ['PATH=/x', 'HOSTNAME=h', 'TERM=vt100', 'A=2']);
    assert.deepEqual(processEnv(['HOSTNAME'], { hostname: 'h', terminal: false }), ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
  });

  test('mergeCommand follows Docker\'s entrypoint/cmd rules', () => {
    assert.deepEqual(mergeCommand(['/entry'], ['img', 'cmd']), ['/entry', 'img', 'cmd']);
    assert.deepEqual(mergeCommand(['/entry'], ['img'], undefined, ['user']), ['/entry', 'user']);
    assert.deepEqual(mergeCommand(['/entry'], ['img'], ['/mine']), ['/mine'], 'a user entrypoint drops the image cmd');
    assert.deepEqual(mergeCommand(['/entry'], ['img'], ['/mine'], ['x']), ['/mine', 'x']);
    assert.deepEqual(mergeCommand(['/entry'], ['img'], [''], ['sh']), ['sh'], '[""] clears the entrypoint');
    assert.deepEqual(mergeCommand(null, ['sh']), ['sh']);
    assert.deepEqual(mergeCommand(['/entry'], ['img'], [], null), ['img'], 'an empty entrypoint clears it but keeps the image cmd');
    assert.deepEqual(mergeConfigCommand(['/e'], ['c'], null, null), { entrypoint: ['/e'], cmd: ['c'] });
    invalid(() => mergeCommand(['/entry'], ['img'], [''], null), /no command specified/);
    invalid(() => mergeCommand(null, null), /no command specified/);
  });
});

describe('resolveUser', () => {
  const passwd = ['root:x:0:0:root:/root:/bin/sh', '# a comment', 'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
    'alice:x:1000:1000:Alice:/home/alice:/bin/sh', 'bob:x:1001:1001::/home/bob:/bin/sh', ''].join('\n');
  const group = ['root:x:0:', 'wheel:x:10:root,alice', 'audio:x:29:alice,bob', 'alice:x:1000:', 'bob:x:1001:', 'docker:x:999:alice'].join('\n');

  async function withRootfs(fn: (root: string) => Promise<void>, files: Record<string, string> = { 'etc/passwd': passwd, 'etc/group': group }): Promise<void> {
    const root = await mkdtemp(join(tmpdir(), 'wharf-oci-user-'));
    try {
      await mkdir(join(root, 'etc'), { recursive: true });
      for (const [p, c] of Object.entries(files)) await writeFile(join(root, p), c);
      await fn(root);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }

  test('names, uids, groups and supplementary groups', () => withRootfs(async (root) => {
    assert.deepEqual(await resolveUser('', root), { uid: 0, gid: 0, additionalGids: [0, 10] });
    assert.deepEqual(await resolveUser('alice', root), { uid: 1000, gid: 1000, additionalGids: [1000, 10, 29, 999] });
    assert.deepEqual(await resolveUser('1000', root), { uid: 1000, gid: 1000, additionalGids: [1000, 10, 29, 999] });
    assert.deepEqual(await resolveUser('1234', root), { uid: 1234, gid: 0, additionalGids: [0] });
    assert.deepEqual(await resolveUser('alice:audio', root), { uid: 1000, gid: 29, additionalGids: [29] });
    assert.deepEqual(await resolveUser('bob:4242', root), { uid: 1001, gid: 4242, additionalGids: [4242] });
    assert.deepEqual(await resolveUser('5000:5000', root), { uid: 5000, gid: 5000, additionalGids: [5000] });
    assert.deepEqual(await resolveUser('bob', root, ['docker', '77']), { uid: 1001, gid: 1001, additionalGids: [1001, 29, 999, 77] });
  }));

  test('Docker\'s errors', () => withRootfs(async (root) => {
    await assert.rejects(resolveUser('nobody', root), (e: unknown) => e instanceof InvalidArgumentError
      && e.message === 'unable to find user nobody: no matching entries in passwd file');
    await assert.rejects(resolveUser('alice:nogroup', root), (e: unknown) => e instanceof InvalidArgumentError
      && e.message === 'unable to find group nogroup: no matching entries in group file');
    await assert.rejects(resolveUser('-5', root), InvalidArgumentError);
    await assert.rejects(resolveUser('bob', root, ['ghosts']), InvalidArgumentError);
  }));

  test('without /etc/passwd numeric ids still work', () => withRootfs(async (root) => {
    assert.deepEqual(await resolveUser('', root), { uid: 0, gid: 0, additionalGids: [0] });
    assert.deepEqual(await resolveUser('33:44', root), { uid: 33, gid: 44, additionalGids: [44] });
    await assert.rejects(resolveUser('www-data', root), /no matching entries in passwd file/);
  }, {}));

  test('symlinks resolve inside the rootfs, never to the host', async () => {
    const host = await mkdtemp(join(tmpdir(), 'wharf-oci-host-'));
    try {
      await writeFile(join(host, 'passwd'), 'evil:x:0:0::/:/bin/sh\n');
      await withRootfs(async (root) => {
        // An absolute link is relative to the rootfs…
        await mkdir(join(root, 'lib'));
        await writeFile(join(root, 'lib', 'passwd'), 'carol:x:2000:2000::/:/bin/sh\n');
        await symlink('/lib/passwd', join(root, 'etc', 'passwd'));
        assert.deepEqual(await resolveUser('carol', root), { uid: 2000, gid: 2000, additionalGids: [2000] });
        // …and ".." cannot climb out of it.
        await rm(join(root, 'etc', 'passwd'));
        await symlink(`../../../../../../../..${host}/passwd`, join(root, 'etc', 'passwd'));
        await assert.rejects(resolveUser('evil', root), /no matching entries/);
        assert.equal(await resolveInRoot(root, '/etc/passwd'), join(root, host, 'passwd'));
      }, { 'etc/group': group });
    } finally {
      await rm(host, { recursive: true, force: true });
    }
  });

  test('symlink loops are rejected', () => withRootfs(async (root) => {
    await symlink('/etc/b', join(root, 'etc', 'a'));
    await symlink('/etc/a', join(root, 'etc', 'b'));
    await assert.rejects(resolveInRoot(root, '/etc/a'), /too many levels/);
  }, {}));
});
