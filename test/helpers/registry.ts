/**
 * Debian's docker-registry on a free loopback port with its own storage, for tests that push
 * and pull through a real registry. Installs the package when it is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDebianPackage } from './dockerd.ts';

export interface TestRegistry {
  /** `127.0.0.1:<port>`, as it appears in image references. */
  host: string;
  dir: string;
  /** A plain GET against the registry's API, answered as text. */
  get(path: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// node:http, not fetch: the tests must not depend on what any framework does to globals either.
function get(host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`http://${host}${path}`, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

export async function startRegistry(extraConfig = ''): Promise<TestRegistry> {
  const missing = await ensureDebianPackage('docker-registry', 'docker-registry');
  if (missing) throw new Error(`the registry tests need Debian's docker-registry: ${missing}`);
  const dir = await mkdtemp(join(tmpdir(), 'wharf-registry-'));
  const host = `127.0.0.1:${await freeLoopbackPort()}`;
  const config = join(dir, 'config.yml');
  await writeFile(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n${extraConfig}`);
  const child: ChildProcess = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: 'ignore' });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    const up = await get(host, '/v2/').then((r) => r.status === 200 || r.status === 401, () => false);
    if (up) return { host, dir, get: (p) => get(host, p), stop };
    await sleep(100);
  }
  await stop();
  throw new Error('docker-registry did not start');
}
