/**
 * The dashboard (API, Docker proxy, socket.io) in this process on a free loopback port, in
 * front of a test engine whose Docker API listens on a private socket.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import type { Leftovers } from '../helpers/engine.ts';
import { closeServer, createDashboardServer, listen } from '../../server/http.ts';
import { openDashboard, type Dashboard } from '../../server/dashboard-api/index.ts';
import { attachRealtime } from '../../server/realtime/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are checked field by field
export interface Reply { status: number; headers: IncomingHttpHeaders; text: string; json: () => any }

export interface DashboardHarness {
  api: ApiHarness;
  dashboard: Dashboard;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Lines the dashboard logged (the setup token among them). */
  logs: string[];
  request(method: string, path: string, opts?: { body?: unknown; cookie?: string; headers?: Record<string, string> }): Promise<Reply>;
  /** Signs in and returns the Cookie header value. */
  login(username: string, password: string): Promise<string>;
  close(): Promise<Leftovers>;
}

export async function startDashboard(name: string, opts: { adminPassword?: string } = {}): Promise<DashboardHarness> {
  const api = await startApiServer(name);
  const logs: string[] = [];
  const dashboard = await openDashboard({ engine: api.t.engine, root: api.t.config.root, socketPath: api.socket, adminPassword: opts.adminPassword, log: (l) => logs.push(l) });
  const server = createDashboardServer({ api: dashboard.handle, pages: async (_req, res) => { res.writeHead(404); res.end(); } });
  const realtime = attachRealtime(server, dashboard);
  const address = (await listen(server, { host: '127.0.0.1', port: 0 })) as AddressInfo;
  const url = `http://127.0.0.1:${address.port}`;

  const request: DashboardHarness['request'] = (method, path, o = {}) => new Promise((resolve, reject) => {
    const text = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    const headers: Record<string, string | number> = { ...o.headers };
    if (o.cookie) headers.cookie = o.cookie;
    if (text !== undefined) { headers['content-type'] ??= 'application/json'; headers['content-length'] = Buffer.byteLength(text); }
    const req = http.request(`${url}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(text);
  });

  return {
    api, dashboard, url, logs, request,
    async login(username, password) {
      const r = await request('POST', '/api/auth/login', { body: { username, password } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
      return sessionCookieOf(r.headers);
    },
    async close() {
      await realtime.close();
      await closeServer(server, 1000);
      dashboard.close();
      return api.close();
    },
  };
}

/** `wharf_session=<value>` from a Set-Cookie answer, ready for a Cookie header. */
export function sessionCookieOf(headers: IncomingHttpHeaders): string {
  const cookie = (headers['set-cookie'] ?? []).find((c) => c.startsWith('wharf_session='));
  if (!cookie) throw new Error('no session cookie in the answer');
  return cookie.split(';')[0]!;
}
