/**
 * Debian's docker-registry on a free loopback port with its own storage, for tests that push
 * and pull through a real registry. Installs the package when it is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import net from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDebianPackage } from './dockerd.ts';

export interface TestRegistry {
  /** `127.0.0.1:<port>`, as it appears in image references. */
  host: string;
  dir: string;
  /** With `tls`: the CA (PEM) that signed the registry's certificate. */
  ca?: string;
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

export interface RegistryOptions {
  /** Config appended to the registry's YAML. */
  extraConfig?: string;
  /** htpasswd auth with this one user (bcrypt, made by apache2-utils' htpasswd). */
  user?: { name: string; password: string };
  /** Serve HTTPS with a certificate for 127.0.0.1 signed by a CA made for this registry. */
  tls?: boolean;
}

const run = promisify(execFile);

/** A CA and a server certificate for 127.0.0.1 signed by it, made with openssl. */
async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const p = (n: string) => join(dir, n);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Wharf test CA', '-keyout', p('ca.key'), '-out', p('ca.crt')]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', p('server.key'), '-out', p('server.csr')]);
  await writeFile(p('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  await run('openssl', ['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', p('ext.cnf'), '-out', p('server.crt')]);
  return { ca: p('ca.crt'), cert: p('server.crt'), key: p('server.key') };
}

// node:http, not fetch: the tests must not depend on what any framework does to globals either.
function get(host: string, path: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = (ca ? https : http).get(`${ca ? 'https' : 'http'}://${host}${path}`, ca ? { ca } : {}, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

export async function startRegistry(options: string | RegistryOptions = {}): Promise<TestRegistry> {
  const opts = typeof options === 'string' ? { extraConfig: options } : options;
  const missing = await ensureDebianPackage('docker-registry', 'docker-registry');
  if (missing) throw new Error(`the registry tests need Debian's docker-registry: ${missing}`);
  const dir = await mkdtemp(join(tmpdir(), 'wharf-registry-'));
  const host = `127.0.0.1:${await freeLoopbackPort()}`;
  const config = join(dir, 'config.yml');
  let extra = opts.extraConfig ?? '';
  let ca: string | undefined;
  if (opts.tls) {
    const certs = await makeCertificates(dir);
    ca = await readFile(certs.ca, 'utf8');
    extra = `  tls:\n    certificate: ${certs.cert}\n    key: ${certs.key}\n${extra}`;
  }
  if (opts.user) {
    const missingTool = await ensureDebianPackage('htpasswd', 'apache2-utils');
    if (missingTool) throw new Error(`the registry auth tests need htpasswd: ${missingTool}`);
    await run('htpasswd', ['-Bbc', join(dir, 'htpasswd'), opts.user.name, opts.user.password]);
    extra += `auth:\n  htpasswd:\n    realm: wharf-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  await writeFile(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n${extra}`);
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
    const up = await get(host, '/v2/', ca).then((r) => r.status === 200 || r.status === 401, () => false);
    if (up) return { host, dir, ca, get: (p) => get(host, p, ca), stop };
    await sleep(100);
  }
  await stop();
  throw new Error('docker-registry did not start');
}
