import { decodeRegistryConfig, type BuildOptions } from '../../../runtime/index.ts';
import { badRequest } from '../errors.ts';
import type { Route } from '../router.ts';
import { queryBool } from '../respond.ts';
import { JSONStream } from '../stream.ts';

function jsonMap(q: URLSearchParams, name: string): Record<string, string | null> {
  const raw = q.get(name);
  if (!raw) return {};
  let v: unknown;
  try { v = JSON.parse(raw); } catch { throw badRequest(`invalid ${name}: not valid JSON`); }
  if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => x !== null && typeof x !== 'string')) {
    throw badRequest(`invalid ${name}: must be a JSON object of strings`);
  }
  return v as Record<string, string | null>;
}

function jsonList(q: URLSearchParams, name: string): string[] {
  const raw = q.get(name);
  if (!raw) return [];
  let v: unknown;
  try { v = JSON.parse(raw); } catch { throw badRequest(`invalid ${name}: not valid JSON`); }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badRequest(`invalid ${name}: must be a JSON array of strings`);
  return v as string[];
}

/**
 * `POST /build`: the classic builder. The body is the context tar (plain or gzip). A bad request
 * or Dockerfile is a 4xx before any output, as dockerd answers it; a failing step is reported
 * inside the 200 JSON stream (errorDetail, with the exit code for RUN) and tags nothing.
 */
export const routes: Route[] = [{
  method: 'POST',
  path: '/build',
  handler: async ({ engine, req, res, query }) => {
    const labels = jsonMap(query, 'labels');
    const opts: BuildOptions = {
      tags: query.getAll('t').filter(Boolean),
      dockerfile: query.get('dockerfile') || 'Dockerfile',
      buildArgs: jsonMap(query, 'buildargs'),
      labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v ?? ''])),
      quiet: queryBool(query, 'q'),
      noCache: queryBool(query, 'nocache'),
      target: query.get('target') || undefined,
      pull: queryBool(query, 'pull'),
      cacheFrom: jsonList(query, 'cachefrom'),
      registryAuth: decodeRegistryConfig(req.headers['x-registry-config'] as string | undefined),
    };
    for (const b of ['rm', 'forcerm']) queryBool(query, b);
    let prepared;
    try {
      prepared = await engine.builds.prepare(req, opts);
    } catch (e) {
      // The client may still be sending the context: read it so the answer reaches it.
      req.resume();
      throw e;
    }
    const out = new JSONStream(res);
    try {
      await engine.builds.run(prepared, opts, (m) => out.write(m));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const code = (e as { exitCode?: unknown }).exitCode;
      out.write({ errorDetail: { ...(typeof code === 'number' ? { code } : {}), message }, error: message });
    }
    out.end();
  },
}];
