import { familiarName, familiarString, parseReference, type Engine } from '../../../runtime/index.ts';
import type { Request, Route } from '../router.ts';
import { badRequest } from '../errors.ts';
import { JSONStream } from '../stream.ts';

/** `os[/arch[/variant]]`, as the platform parameter carries it. */
function parsePlatform(p: string | null): { os?: string; architecture?: string; variant?: string } | undefined {
  if (!p) return undefined;
  const [os, architecture, variant] = p.split('/');
  if (!os) throw badRequest(`invalid platform: ${p} (platform)`);
  return { os, architecture, variant };
}

/** `docker import`: the body is a filesystem tar (plain or gzip). */
async function importFromBody(r: Request): Promise<void> {
  const src = r.query.get('fromSrc')!;
  if (src !== '-') {
    throw badRequest(`cannot import from ${src}: importing from a URL needs network access, which this engine does not have; pass the archive in the request body (fromSrc=-)`);
  }
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
  const row = await r.engine.images.import(r.req, { reference, message, changes: r.query.getAll('changes'), platform: parsePlatform(r.query.get('platform')) });
  const out = new JSONStream(r.res);
  out.write({ status: row.id });
  out.end();
}

/**
 * `docker pull` without registry access: an image already here is reported up to date as
 * dockerd does; anything else fails inside the progress stream.
 */
function pull(engine: Engine, r: Request): void {
  const image = (r.query.get('fromImage') ?? '').replace(/:$/, '');
  const tag = r.query.get('tag') ?? '';
  const name = tag ? (tag.startsWith('sha256:') ? `${image}@${tag}` : `${image}:${tag}`) : image;
  const ref = parseReference(name);
  const out = new JSONStream(r.res);
  const local = engine.images.store.find(name);
  if (local) {
    out.write({ status: `Pulling from ${ref.path}`, id: ref.tag ?? ref.digest ?? 'latest' });
    const digest = engine.images.store.repoDigests(local.id).find((d) => d.startsWith(`${familiarName(ref)}@`));
    if (digest) out.write({ status: `Digest: ${digest.slice(digest.indexOf('@') + 1)}` });
    out.write({ status: `Status: Image is up to date for ${familiarString(ref)}` });
  } else {
    out.error(`pull access denied for ${familiarName(ref)}, repository does not exist or may require 'docker login': registry access is not available in this engine`);
  }
  out.end();
}

/** POST /images/create: pull (fromImage) or import (fromSrc). */
export const routes: Route[] = [{
  method: 'POST',
  path: '/images/create',
  handler: async (r) => {
    if (r.query.get('fromImage')) return pull(r.engine, r);
    if (r.query.get('fromSrc')) return importFromBody(r);
    throw badRequest('either fromImage or fromSrc is required');
  },
}];
