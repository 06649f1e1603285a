import { decodeRegistryAuth, familiarName, familiarString, parseReference, type Engine } from '../../../runtime/index.ts';
import type { Request, Route } from '../router.ts';
import { badRequest } from '../errors.ts';
import { JSONStream } from '../stream.ts';
import { clientGone } from '../abort.ts';

/** `os[/arch[/variant]]`, as the platform parameter carries it. */
function parsePlatform(p: string | null): { os?: string; architecture?: string; variant?: string } | undefined {
  if (!p) return undefined;
  const [os, architecture, variant] = p.split('/');
  if (!os) throw badRequest(`invalid platform: ${p} (platform)`);
  return { os, architecture, variant };
}

/**
 * `docker import`: the body is a filesystem tar (plain or gzip) with `fromSrc=-`; any other
 * `fromSrc` is a URL the engine fetches (`docker import <url>`), with the request body unused.
 */
async function importImage(r: Request): Promise<void> {
  const src = r.query.get('fromSrc')!;
  await r.policy?.check({ kind: 'image.import', source: src });
  const repo = r.query.get('repo') ?? '';
  const tag = r.query.get('tag') ?? '';
  let reference: string | undefined;
  if (repo) {
    const ref = parseReference(repo);
    if (ref.digest) throw badRequest(`cannot import digest reference: ${repo} (repo)`);
    reference = tag ? `${familiarName(ref)}:${tag}` : familiarString(ref);
    parseReference(reference);
  } else if (tag) throw badRequest('tag given without repo (tag)');
  const message = r.query.get('message') || `Imported from ${src}`;
  const opts = { reference, message, changes: r.query.getAll('changes'), platform: parsePlatform(r.query.get('platform')) };
  if (src === '-') {
    const row = await r.engine.images.import(r.req, opts);
    const out = new JSONStream(r.res);
    out.write({ status: row.id });
    out.end();
    return;
  }
  // Nothing of the request body is wanted: drain it so that the answer reaches the client.
  r.req.resume();
  // Errors before the download starts (a bad URL, an error status) are plain HTTP errors;
  // after it, they are reported inside the stream, as dockerd does.
  let out: JSONStream | undefined;
  try {
    const row = await r.engine.images.importFromURL(src, opts, (url: URL) => {
      out = new JSONStream(r.res);
      out.write({ status: `Downloading from ${url.href}` });
    }, clientGone(r.res));
    out!.write({ status: row.id });
  } catch (e) {
    if (!out) throw e;
    out.error((e as Error).message);
  }
  out!.end();
}

/**
 * `docker pull` from the registry the reference names. Failures after the stream began are
 * reported inside it, as dockerd does; the CLI prints them and exits non-zero.
 */
async function pull(engine: Engine, r: Request): Promise<void> {
  const image = (r.query.get('fromImage') ?? '').replace(/:$/, '');
  const tag = r.query.get('tag') ?? '';
  const name = tag ? (tag.startsWith('sha256:') ? `${image}@${tag}` : `${image}:${tag}`) : image;
  parseReference(name);
  const creds = decodeRegistryAuth(r.req.headers['x-registry-auth'] as string | undefined);
  const platform = parsePlatform(r.query.get('platform'));
  const signal = clientGone(r.res);
  const out = new JSONStream(r.res);
  try {
    await engine.images.pull(name, { creds, platform, signal }, (m) => { if (!signal.aborted) out.write(m); });
  } catch (e) {
    out.error((e as Error).message);
  }
  out.end();
}

/** POST /images/create: pull (fromImage) or import (fromSrc). */
export const routes: Route[] = [{
  method: 'POST',
  path: '/images/create',
  handler: async (r) => {
    if (r.query.get('fromImage')) return pull(r.engine, r);
    if (r.query.get('fromSrc')) return importImage(r);
    throw badRequest('either fromImage or fromSrc is required');
  },
}];
