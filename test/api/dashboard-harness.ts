/**
 * The dashboard (API, Docker proxy, socket.io, pages) of a full server started as `npm start`
 * starts it, on a free loopback port; its Docker API listens on a private socket.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import type { Leftovers } from '../helpers/engine.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are checked field by field
export interface Reply { status: number; headers: IncomingHttpHeaders; text: string; json: () => any }

export interface DashboardHarness {
  api: ApiHarness;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Lines the server printed (the setup token among them). */
  logs: string[];
  request(method: string, path: string, opts?: { body?: unknown; cookie?: string; headers?: Record<string, string> }): Promise<Reply>;
  /** Signs in and returns the Cookie header value. */
  login(username: string, password: string): Promise<string>;
  close(): Promise<Leftovers>;
}

export async function startDashboard(name: string, opts: { adminPassword?: string } = {}): Promise<DashboardHarness> {
  const api = await startApiServer(name, { env: opts.adminPassword === undefined ? {} : { WHARF_ADMIN_PASSWORD: opts.adminPassword } });
  const { url, output: logs } = api;

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
    api, url, logs, request,
    async login(username, password) {
      const r = await request('POST', '/api/auth/login', { body: { username, password } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
      return sessionCookieOf(r.headers);
    },
    close: () => api.close(),
  };
}

/** `wharf_session=<value>` from a Set-Cookie answer, ready for a Cookie header. */
export function sessionCookieOf(headers: IncomingHttpHeaders): string {
  const cookie = (headers['set-cookie'] ?? []).find((c) => c.startsWith('wharf_session='));
  if (!cookie) throw new Error('no session cookie in the answer');
  return cookie.split(';')[0]!;
}
