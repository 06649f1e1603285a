/**
 * Debian's podman 4.3 through its Docker-compatible API (`podman system service`), on a private
 * root, run root, socket, configuration and bridge. Stopping it removes what it made: its
 * containers, mounts, bridge, and the netavark firewall chains if the host had none before.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDebianPackage, ping } from '../../test/helpers/dockerd.ts';
import { run } from '../../runtime/util/exec.ts';
import { engineMemory } from '../lib/memory.ts';
import { writePodmanConfig } from './podman-config.ts';
import { removeNetavarkChains } from './netavark.ts';
import type { Engine, EngineOptions } from './types.ts';

export async function startPodmanEngine(opts: EngineOptions): Promise<Engine> {
  // podman's Debian package does not pull in netavark, the network backend it is run with here.
  const why = await ensureDebianPackage('podman', 'podman') ?? await ensureDebianPackage('/usr/lib/podman/netavark', 'netavark');
  if (why) throw new Error(`podman is not available: ${why}`);
  const dir = join(opts.dir, 'podman');
  await mkdir(dir, { recursive: true });
  const config = await writePodmanConfig(dir, opts.registry);
  const hadNetavark = (await run('iptables-save', [])).stdout.includes('NETAVARK');
  const sock = join(dir, 'podman.sock');
  const env = { ...process.env, CONTAINERS_CONF: config.containersConf, CONTAINERS_REGISTRIES_CONF: config.registriesConf };
  const base = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--tmpdir', join(dir, 'tmp'), '--storage-driver', 'overlay'];
  const child = spawn('podman', [...base, 'system', 'service', '--time', '0', `unix://${sock}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-2000); });
  const exited = once(child, 'exit');
  const stop = async (): Promise<void> => {
    await run('podman', [...base, 'rm', '-a', '-f', '-t', '0'], { env, allowFail: true });
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    // podman keeps its storage mounted after the service ends: unmount what lies under its root.
    const mounts = (await readFile('/proc/self/mounts', 'utf8')).split('\n').map((l) => l.split(' ')[1] ?? '');
    for (const m of mounts.filter((m) => m.startsWith(dir)).reverse()) await run('umount', ['-l', m], { allowFail: true });
    await run('ip', ['link', 'del', config.bridge], { allowFail: true });
    if (!hadNetavark) await removeNetavarkChains();
  };
  for (let i = 0; i < 300 && child.exitCode === null && !(await ping(sock)); i++) await sleep(100);
  if (child.exitCode !== null || !(await ping(sock))) {
    // It may have mounted its storage before it gave up: take that away too.
    await stop();
    throw new Error(`podman system service did not start: ${log}`);
  }
  return {
    name: 'podman',
    sock,
    cliConfig: join(opts.dir, 'cli-podman'),
    // The service and every conmon name the private root in their arguments.
    memory: () => engineMemory(dir, child.pid ? [child.pid] : []),
    stop,
  };
}
