import type { ServerResponse } from 'node:http';
import type { Request } from './router.ts';
import { badRequest } from './errors.ts';

export function sendJSON(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

/** Read and parse a JSON body; an empty body is `{}`; bad JSON is a 400. */
export async function readJSON<T = Record<string, unknown>>(r: Request): Promise<T> {
  const text = (r.upgrade ? await readUpgradeBody(r) : await readAll(r.req)).toString('utf8').trim();
  if (!text) return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw badRequest(`invalid JSON: ${(e as Error).message}`);
  }
}

/** Docker's boolean query parameters: 1/true/yes (case-insensitive) are true, 0/false/no or absent false. */
export function queryBool(q: URLSearchParams, name: string, fallback = false): boolean {
  const v = q.get(name);
  if (v === null || v === '') return fallback;
  if (/^(1|true|yes)$/i.test(v)) return true;
  if (/^(0|false|no)$/i.test(v)) return false;
  throw badRequest(`invalid value for ${name}: ${v}`);
}

export function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${name}: ${v}`);
  return Number(v);
}

/** Docker's `filters` parameter: JSON map of name → list (or the legacy name → {value: true}). */
export function queryFilters(q: URLSearchParams): Map<string, string[]> {
  const raw = q.get('filters');
  const out = new Map<string, string[]>();
  if (!raw) return out;
  let parsed: unknown;
  try { parsed = JSON.parse(raw); } catch { throw badRequest(`invalid filter: ${raw}`); }
  if (!parsed || typeof parsed !== 'object') throw badRequest(`invalid filter: ${raw}`);
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(v)) out.set(k, v.map(String));
    else if (v && typeof v === 'object') out.set(k, Object.entries(v as Record<string, unknown>).filter(([, on]) => on).map(([x]) => x));
    else throw badRequest(`invalid filter '${k}'`);
  }
  return out;
}

/** Reject filters the endpoint does not know, as Docker does. */
export function checkFilters(f: Map<string, string[]>, allowed: readonly string[]): void {
  for (const k of f.keys()) if (!allowed.includes(k)) throw badRequest(`invalid filter '${k}'`);
}

async function readAll(src: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of src) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** On a hijacked connection the body is the first Content-Length bytes of the raw socket. */
function readUpgradeBody(r: Request): Promise<Buffer> {
  const socket = r.upgrade!.socket;
  let need = Number(r.req.headers['content-length'] ?? 0);
  if (!need) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const onData = (d: Buffer): void => {
      const take = d.subarray(0, need);
      parts.push(take);
      need -= take.length;
      if (need > 0) return;
      socket.off('data', onData);
      socket.off('error', reject);
      socket.pause();
      if (d.length > take.length) socket.unshift(d.subarray(take.length));
      resolve(Buffer.concat(parts));
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}
