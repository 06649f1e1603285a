/**
 * The event loop belongs to every user: with a thousand containers and a volume of many files,
 * `GET /system/df` has real work to do, and while it does it the Docker API and the dashboard
 * API keep answering. Proven by the order of the answers, never by their timing. The server is
 * started as `npm start` starts it (server/index.ts, dashboard included).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { pool, startWharf, type Wharf } from '../e2e/support/server.ts';

const COUNT = 1000;
const FILES = 100_000;
const PASSWORD = 'a long enough admin password';

interface Answer { status: number; body: string }

/** One request over its own connection. */
function request(opts: http.RequestOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent: false, ...opts }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a busy /system/df leaves the event loop free', { timeout: 1_200_000 }, () => {
  let wharf: Wharf;
  let dashboard: URL;
  let cookie: string;

  before(async () => {
    wharf = await startWharf('loopfree', { WHARF_ADMIN_PASSWORD: PASSWORD });
    dashboard = new URL(wharf.url);
    await pool(Array.from({ length: COUNT }, (_v, i) => i), 16, (i) =>
      wharf.docker.createContainer({ name: `lf-${i}`, Image: 'busybox:latest', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } }));
    // A volume of many small files: its size is walked on every df, as dockerd walks it.
    const filler = await wharf.docker.createContainer({
      name: 'lf-filler', Image: 'busybox:latest', Cmd: ['sh', '-c', `cd /data && seq 1 ${FILES} | xargs touch && echo done`],
      HostConfig: { NetworkMode: 'none', Binds: ['lf-data:/data'] },
    });
    await filler.start();
    assert.equal((await filler.wait()).StatusCode, 0);
    await filler.remove();
    const login = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request({ host: dashboard.hostname, port: dashboard.port, method: 'POST', path: '/api/auth/login', headers: { 'Content-Type': 'application/json' } }, resolve);
      req.on('error', reject);
      req.end(JSON.stringify({ username: 'admin', password: PASSWORD }));
    });
    login.resume();
    assert.equal(login.statusCode, 200);
    cookie = (login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  });

  after(async () => {
    await wharf?.stop();
  });

  it('answers /_ping and a dashboard API call sent while /system/df runs before df completes', async () => {
    const order: string[] = [];
    let done = false;
    const df = request({ socketPath: wharf.socket, path: '/v1.47/system/df' }).then((a) => { done = true; order.push('df'); return a; });
    // df is running once its volume walk waits in the walker; the health endpoint says so.
    let walking = false;
    while (!walking && !done) {
      const health = await request({ host: dashboard.hostname, port: dashboard.port, path: '/api/health' });
      walking = (JSON.parse(health.body) as { backgroundWalks: number }).backgroundWalks > 0;
    }
    assert.ok(walking, 'df was seen walking before it completed');
    const ping = request({ socketPath: wharf.socket, path: '/_ping' }).then((a) => { order.push('ping'); return a; });
    const envs = request({ host: dashboard.hostname, port: dashboard.port, path: '/api/environments', headers: { Cookie: cookie } }).then((a) => { order.push('dashboard'); return a; });
    const [d, p, e] = await Promise.all([df, ping, envs]);
    assert.equal(p.status, 200);
    assert.equal(p.body, 'OK');
    assert.equal(e.status, 200);
    assert.equal(d.status, 200);
    const usage = JSON.parse(d.body) as { Containers: unknown[]; Volumes: { Name: string }[] };
    assert.equal(usage.Containers.length, COUNT);
    assert.ok(usage.Volumes.some((v) => v.Name === 'lf-data'), 'the busy volume is in the answer');
    assert.equal(order.at(-1), 'df', `answers arrived in the order ${order.join(', ')}`);
    assert.deepEqual(new Set(order), new Set(['ping', 'dashboard', 'df']));
  });

  it('reports the event loop delay in /api/health', async () => {
    const health = await request({ host: dashboard.hostname, port: dashboard.port, path: '/api/health' });
    assert.equal(health.status, 200);
    const body = JSON.parse(health.body) as { status: string; eventLoopDelay: Record<string, number> };
    assert.equal(body.status, 'ok');
    for (const k of ['p50', 'p99', 'max']) assert.equal(typeof body.eventLoopDelay[k], 'number', k);
    assert.ok(body.eventLoopDelay.p50! <= body.eventLoopDelay.p99! && body.eventLoopDelay.p99! <= body.eventLoopDelay.max!);
    assert.deepEqual(Object.keys(body).sort(), ['backgroundWalks', 'eventLoopDelay', 'pages', 'status'], 'nothing else leaks to signed-out callers');
  });
});
