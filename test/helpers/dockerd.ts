/**
 * A private Debian dockerd for interop tests and the benchmark: own data and exec roots,
 * socket and config, its own bridge device and no iptables, stopped with everything it started.
 * Never `--bridge=none`: with the bridge disabled dockerd deletes any `docker0` it finds, which
 * would break a Docker install on the machine running the tests.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { readFile, rmdir, unlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from '../../runtime/util/exec.ts';

/** Whether `bin` is on the PATH (or, given as an absolute path, exists). */
export function onPath(bin: string): boolean {
  if (bin.startsWith('/')) return existsSync(bin);
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, bin)));
}

/**
 * Install a Debian package a test needs, without letting its maintainer scripts start a
 * system service (a temporary policy-rc.d). Returns a reason when it can't be had.
 * `binary` is a command on the PATH, or the absolute path of a helper the package installs.
 */
export async function ensureDebianPackage(binary: string, pkg: string, t?: { diagnostic(msg: string): void }): Promise<string | undefined> {
  if (onPath(binary)) return undefined;
  t?.diagnostic(`${binary} not found: installing Debian ${pkg}`);
  const policy = '/usr/sbin/policy-rc.d';
  const created = !existsSync(policy);
  if (created) await writeFile(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = ['install', '-y', '--no-install-recommends', pkg];
    let r = await run('apt-get', install, { env, allowFail: true });
    if (r.code !== 0) {
      await run('apt-get', ['update'], { env, allowFail: true });
      r = await run('apt-get', install, { env, allowFail: true });
    }
    if (r.code !== 0) return `apt-get install ${pkg} failed: ${r.stderr.trim().split('\n').pop()}`;
  } finally {
    if (created) await unlink(policy).catch(() => undefined);
  }
  return onPath(binary) ? undefined : `${pkg} installed no ${binary}`;
}

export function ensureDockerd(t?: { diagnostic(msg: string): void }): Promise<string | undefined> {
  return ensureDebianPackage('dockerd', 'docker.io', t);
}

/** Whether a Docker API answers `/_ping` on the socket (within 2 s). */
export function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.end();
  });
}

export function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function waitGone(pid: number, tries: number): Promise<boolean> {
  for (let i = 0; i < tries && alive(pid); i++) await sleep(100);
  return !alive(pid);
}

/** x.y.z.1 of a 10.200-249.z.0/24 the host doesn't route, for the private dockerd's bridge. */
function freeSubnetAddress(): string {
  const routes = execFileSync('ip', ['-4', 'route', 'show', 'table', 'all']).toString();
  for (;;) {
    const prefix = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}.`;
    if (!routes.includes(prefix)) return `${prefix}1`;
  }
}

export interface Dockerd { sock: string; docker: (args: string[]) => Promise<string>; stop: () => Promise<void> }

/** Start a private dockerd under `dir`; resolves once it answers /_ping, or gives a reason. */
export async function startDockerd(dir: string, storageDriver = 'vfs'): Promise<Dockerd | string> {
  const sock = join(dir, 'docker.sock');
  const exec = join(dir, 'exec');
  // 20.10 writes its trust key to /etc/docker unless told otherwise, and only daemon.json can.
  await writeFile(join(dir, 'daemon.json'), JSON.stringify({ 'deprecated-key-path': join(dir, 'key.json') }));
  const runDockerExisted = existsSync('/run/docker');
  // A bridge of its own with an address dockerd takes as its subnet; gone again with stop().
  const bridge = `wtd${process.pid.toString(16).slice(-4)}${Math.floor(Math.random() * 0xfff).toString(16)}`.slice(0, 15);
  await run('ip', ['link', 'add', bridge, 'type', 'bridge']);
  await run('ip', ['addr', 'add', `${freeSubnetAddress()}/24`, 'dev', bridge]);
  await run('ip', ['link', 'set', bridge, 'up']);
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const child: ChildProcess = spawn('dockerd', [
    '--config-file', join(dir, 'daemon.json'), '--data-root', join(dir, 'data'), '--exec-root', exec,
    '--pidfile', join(dir, 'dockerd.pid'), '-H', `unix://${sock}`, `--bridge=${bridge}`, '--iptables=false',
    '--ip-masq=false', '--ip6tables=false', `--storage-driver=${storageDriver}`,
  ], { stdio: ['ignore', log, log] });
  closeSync(log);
  let exited = false;
  child.on('exit', () => { exited = true; });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // dockerd runs its own containerd under the exec root; note it before dockerd goes away.
    const containerdPid = Number((await readFile(join(exec, 'containerd', 'containerd.pid'), 'utf8').catch(() => '')).trim());
    if (!exited && child.pid) {
      child.kill('SIGTERM');
      if (!(await waitGone(child.pid, 300))) { child.kill('SIGKILL'); await waitGone(child.pid, 50); }
    }
    if (containerdPid > 0 && alive(containerdPid)) {
      const cmdline = await readFile(`/proc/${containerdPid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes(dir)) {
        process.kill(containerdPid, 'SIGTERM');
        if (!(await waitGone(containerdPid, 100))) process.kill(containerdPid, 'SIGKILL');
      }
    }
    await run('ip', ['link', 'del', bridge], { allowFail: true });
    // dockerd creates /run/docker/plugins whatever its exec root: remove it if it was ours.
    if (!runDockerExisted) {
      await rmdir('/run/docker/plugins').catch(() => undefined);
      await rmdir('/run/docker').catch(() => undefined);
    }
  };

  const env = { ...process.env, DOCKER_HOST: `unix://${sock}`, DOCKER_CONFIG: join(dir, 'cli') };
  const docker = async (args: string[]) => (await run('docker', args, { env })).stdout.trim();
  for (let i = 0; i < 600 && !exited; i++) {
    if (await ping(sock)) return { sock, docker, stop };
    await sleep(100);
  }
  await stop();
  const tail = (await readFile(join(dir, 'dockerd.log'), 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ');
  return `dockerd did not come up: ${tail}`;
}
