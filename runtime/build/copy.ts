import { lstat, readdir, readlink } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createHash } from 'node:crypto';
import tar from 'tar-stream';
import { InvalidArgumentError } from '../errors.ts';
import { secureJoin } from '../util/securejoin.ts';
import { globToRegExp } from './context.ts';

export interface CopySpec {
  /** Source paths relative to `root`, wildcards allowed in the last component. */
  sources: string[];
  /** Absolute destination in the image (already resolved against WORKDIR, trailing `/` kept). */
  dest: string;
  uid: number;
  gid: number;
  /** For directories the COPY creates itself; fixed by default so the layer, and so the cache key, is reproducible. */
  mtime?: Date;
}

interface Item { host: string; name: string }

/** A source may not climb out of the context: `COPY ../x` is refused, as dockerd refuses it. */
function confined(src: string): string {
  const rel = posix.normalize(src.replace(/^\/+/, '') || '.');
  if (rel === '..' || rel.startsWith('../')) throw new InvalidArgumentError(`forbidden path outside the build context: ${src}`);
  return rel === '.' ? '' : rel;
}

/** The context paths a source names: itself, or what its wildcard (in the last component) matches. */
export async function expand(root: string, src: string): Promise<string[]> {
  const clean = confined(src);
  const base = posix.basename(clean);
  if (!/[*?[]/.test(base)) return [clean];
  const dir = posix.dirname(clean);
  const re = globToRegExp(base);
  const names = await readdir(await secureJoin(root, dir)).catch(() => [] as string[]);
  return names.filter((n) => re.test(n)).sort().map((n) => posix.join(dir, n));
}

/** Everything a COPY adds, as (host file, name in the layer) pairs, parents before children. */
async function plan(root: string, spec: CopySpec): Promise<Item[]> {
  const srcs = (await Promise.all(spec.sources.map((s) => expand(root, s)))).flat();
  const destDir = spec.dest.endsWith('/') || srcs.length > 1 || spec.sources.some((s) => /[*?[]/.test(s));
  const dest = posix.normalize(spec.dest).replace(/^\/+/, '').replace(/\/+$/, '');
  const items: Item[] = [];
  if (destDir && dest) items.push({ host: '', name: dest });
  for (const s of srcs) {
    const host = await secureJoin(root, s);
    const st = await lstat(host).catch(() => null);
    if (!st) throw new InvalidArgumentError(`COPY failed: file not found in build context or excluded by .dockerignore: stat ${s}: file does not exist`);
    if (st.isDirectory()) {
      if (dest && !destDir) items.push({ host, name: dest });
      const walk = async (h: string, n: string): Promise<void> => {
        for (const e of (await readdir(h)).sort()) {
          const item = { host: join(h, e), name: n ? `${n}/${e}` : e };
          items.push(item);
          if ((await lstat(item.host)).isDirectory()) await walk(item.host, item.name);
        }
      };
      await walk(host, dest);
    } else {
      items.push({ host, name: destDir || !dest ? posix.join(dest, posix.basename(s)) : dest });
    }
  }
  return items;
}

/**
 * A COPY/ADD layer tar, and the hash its build-cache key uses: names, modes, owners, link
 * targets and contents, but no times, as the classic builder's TarSum v1 leaves them out (a
 * directory the context tar implies gets a fresh mtime on every upload; a cache hit keeps the old layer).
 */
export interface CopyLayer { tar: Readable; contentHash: Promise<string> }

/** The layer tar of a COPY/ADD: entries owned by uid:gid (root unless --chown), modes and times kept. */
export function copyLayer(root: string, spec: CopySpec): Promise<CopyLayer> {
  return copyLayerParts([{ root, spec }]);
}

/** One layer from several (root, spec) parts: an ADD mixing context files, downloads and unpacked archives. */
export async function copyLayerParts(parts: { root: string; spec: CopySpec }[]): Promise<CopyLayer> {
  const items: (Item & { spec: CopySpec })[] = [];
  for (const p of parts) for (const it of await plan(p.root, p.spec)) items.push({ ...it, spec: p.spec });
  const pack = tar.pack();
  const hash = createHash('sha256');
  const contentHash = (async () => {
    for (const it of items) {
      const base = { name: it.name, uid: it.spec.uid, gid: it.spec.gid };
      if (!it.host) { hash.update(JSON.stringify({ ...base, type: 'directory', mode: 0o755 })); await entry(pack, { ...base, type: 'directory', mode: 0o755, mtime: it.spec.mtime ?? new Date(0) }); continue; }
      const st = await lstat(it.host);
      const h = { ...base, mode: st.mode & 0o7777 };
      if (st.isDirectory()) { hash.update(JSON.stringify({ ...h, type: 'directory' })); await entry(pack, { ...h, mtime: st.mtime, type: 'directory' }); }
      else if (st.isSymbolicLink()) {
        const linkname = await readlink(it.host);
        hash.update(JSON.stringify({ ...h, type: 'symlink', linkname }));
        await entry(pack, { ...h, mtime: st.mtime, type: 'symlink', linkname });
      } else if (st.isFile()) {
        hash.update(JSON.stringify({ ...h, type: 'file', size: st.size }));
        const w = pack.entry({ ...h, mtime: st.mtime, type: 'file', size: st.size });
        await pipeline(createReadStream(it.host), new Transform({ transform(c: Buffer, _e, cb) { hash.update(c); cb(null, c); } }), w);
      }
    }
    pack.finalize();
    return hash.digest('hex');
  })();
  contentHash.catch((e: unknown) => pack.destroy(e as Error));
  return { tar: pack as unknown as Readable, contentHash };
}

function entry(pack: tar.Pack, header: Parameters<tar.Pack['entry']>[0]): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(header, (e) => (e ? reject(e) : resolve())));
}
