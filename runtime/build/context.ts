import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { applyLayer } from '../diff/apply.ts';

/** A glob as .dockerignore writes it: `*` and `?` within one component, `**` across them. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') { re += '.*'; i++; if (pattern[i + 1] === '/') i++; }
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Docker's .dockerignore: the last matching pattern wins, `!` re-includes, a matched directory covers its content. */
export function ignoreMatcher(text: string): (rel: string) => boolean {
  const rules = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => {
    const negate = l.startsWith('!');
    const p = (negate ? l.slice(1) : l).trim().replace(/^\/+|\/+$/g, '').replace(/^\.\//, '');
    return { negate, re: globToRegExp(p) };
  });
  return (rel) => {
    const parts = rel.split('/');
    let ignored = false;
    for (const r of rules) {
      for (let n = 1; n <= parts.length; n++) if (r.re.test(parts.slice(0, n).join('/'))) { ignored = !r.negate; break; }
    }
    return ignored;
  };
}

/** Unpack the build context into a fresh directory, confined to it, then drop what .dockerignore names. */
export async function extractContext(src: Readable, dockerfile: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-build-'));
  try {
    await applyLayer(src, dir, { whiteouts: 'remove' });
    const text = await readFile(join(dir, '.dockerignore'), 'utf8').catch(() => '');
    if (text) {
      const ignored = ignoreMatcher(text);
      const keep = new Set([dockerfile.replace(/^\.?\/+/, ''), '.dockerignore']);
      const walk = async (rel: string): Promise<void> => {
        for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
          const p = rel ? `${rel}/${e.name}` : e.name;
          if (!keep.has(p) && ignored(p)) await rm(join(dir, p), { recursive: true, force: true });
          else if (e.isDirectory()) await walk(p);
        }
      };
      await walk('');
    }
    return dir;
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
