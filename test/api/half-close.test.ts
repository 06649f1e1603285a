/**
 * Clients that half-close their socket once the request is sent still get their answer,
 * from the dashboard and from the Docker API alike, in the server as npm start composes it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startWharf, type Wharf } from '../e2e/support/server.ts';

const PASSWORD = 'half close test password';
let wharf: Wharf;

before(async () => { wharf = await startWharf('halfclose', { WHARF_ADMIN_PASSWORD: PASSWORD }); });
after(async () => { await wharf?.stop(); });

/** Sends `request` whole, shuts down writing, and reads until the server closes. */
function halfClosed(connect: net.NetConnectOpts, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(connect, () => socket.end(request));
    let got = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => { got += d; });
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
}

const post = (path: string, body: string, host = 'localhost') =>
  `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;

test('the dashboard answers a sign-in whose client half-closed after sending it', async () => {
  const { hostname, port } = new URL(wharf.url);
  const answer = await halfClosed({ host: hostname, port: Number(port) }, post('/api/auth/login', JSON.stringify({ username: 'admin', password: PASSWORD })));
  assert.match(answer, /^HTTP\/1\.1 200 /);
  assert.match(answer, /set-cookie: wharf_session=/i);
});

test('the Docker API answers a create whose client half-closed after sending it', async () => {
  const answer = await halfClosed({ path: wharf.socket }, post('/v1.47/containers/create?name=half-closed', JSON.stringify({ Image: 'busybox', Cmd: ['true'] })));
  assert.match(answer, /^HTTP\/1\.1 201 /);
  assert.match(answer, /"Id":"[0-9a-f]{64}"/);
  const inspect = await wharf.docker.getContainer('half-closed').inspect();
  assert.equal(inspect.Name, '/half-closed');
});
