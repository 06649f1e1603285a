/**
 * The dashboard over HTTPS with the certificate generated at first start, and the Docker
 * Engine API over TCP with mutual TLS only: a client with a certificate of the configured CA
 * gets in, one without never gets a byte through.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import https from 'node:https';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startWharf, type Wharf } from '../e2e/support/server.ts';
import { runDocker } from '../helpers/docker-cli.ts';

const run = promisify(execFile);
const PASSWORD = 'tls listener test password';
let wharf: Wharf;
let pki: string;
let httpsPort: number;
let dockerPort: number;

before(async () => {
  pki = await mkdtemp(join(tmpdir(), 'wharf-tls-test-'));
  const o = (name: string) => join(pki, name);
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=test client CA', '-keyout', o('ca.key'), '-out', o('ca.crt')]);
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=test client', '-keyout', o('client.key'), '-out', o('client.csr')]);
  await run('openssl', ['x509', '-req', '-in', o('client.csr'), '-CA', o('ca.crt'), '-CAkey', o('ca.key'), '-CAcreateserial', '-days', '2', '-out', o('client.crt'),
  ]);
  httpsPort = await freePort();
  dockerPort = await freePort();
  wharf = await startWharf('tls', {
    WHARF_ADMIN_PASSWORD: PASSWORD,
    WHARF_HTTPS_PORT: String(httpsPort),
    WHARF_TLS_LISTEN: `127.0.0.1:${dockerPort}`,
    WHARF_TLS_CA: o('ca.crt'),
  });
  await wharf.waitForLine(/^wharf: Docker Engine API on tcp:\/\/127\.0\.0\.1:\d+ \(mutual TLS\)$/);
});

after(async () => {
  await wharf?.stop();
  await rm(pki, { recursive: true, force: true });
});

const generatedCert = () => join(wharf.dir, 'root', 'tls', 'dashboard.crt');

function httpsRequest(method: string, path: string, ca: Buffer, body?: unknown, cookie?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: httpsPort, method, path, ca, headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

test('the dashboard answers over HTTPS with a certificate generated at first start, for 127.0.0.1', async () => {
  await wharf.waitForLine(/^wharf: generated a self-signed certificate for the dashboard: /);
  await wharf.waitForLine(new RegExp(`^wharf: dashboard on https://127\\.0\\.0\\.1:${httpsPort}$`));
  const key = await stat(join(wharf.dir, 'root', 'tls', 'dashboard.key'));
  assert.equal(key.mode & 0o777, 0o600, 'the private key is readable by root only');
  const ca = await readFile(generatedCert());
  // Verified against the generated certificate itself, host name included: not just "some TLS".
  const page = await httpsRequest('GET', '/login', ca);
  assert.equal(page.status, 200);
  assert.equal(page.headers['x-frame-options'], 'DENY');
  const login = await httpsRequest('POST', '/api/auth/login', ca, { username: 'admin', password: PASSWORD });
  assert.equal(login.status, 200, login.body);
  const cookie = String((login.headers['set-cookie'] as string[])[0]).split(';')[0]!;
  const me = await httpsRequest('GET', '/api/auth/status', ca, undefined, cookie);
  assert.equal(JSON.parse(me.body).user.username, 'admin');
});

test('the Docker API over TCP serves a client certificate of the CA and refuses any other client', async () => {
  const dockerTls = ['--tlsverify', `--tlscacert=${generatedCert()}`, `--tlscert=${join(pki, 'client.crt')}`, `--tlskey=${join(pki, 'client.key')}`, '-H', `tcp://127.0.0.1:${dockerPort}`];
  const env = { DOCKER_HOST: '' };
  const cfg = join(pki, 'docker-config');
  const ok = await runDocker(wharf.socket, cfg, [...dockerTls, 'run', '--rm', 'busybox', 'echo', 'over mutual TLS'], { env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), 'over mutual TLS');

  const noCert = await runDocker(wharf.socket, cfg, ['--tls', `--tlscacert=${generatedCert()}`, '-H', `tcp://127.0.0.1:${dockerPort}`, 'version', '--format', '{{.Server.Version}}'], { env });
  assert.notEqual(noCert.code, 0, noCert.stdout);
  assert.match(noCert.stderr, /certificate|tls|remote error/i);

  // A raw client without a certificate: the handshake fails and no HTTP answer ever comes.
  const answer = await new Promise<string>((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port: dockerPort, rejectUnauthorized: false }, () => s.write('GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n'));
    let got = '';
    s.on('data', (d: Buffer) => { got += d.toString(); });
    s.on('error', () => resolve(got));
    s.on('close', () => resolve(got));
  });
  assert.doesNotMatch(answer, /HTTP\/1\.1/);
});
