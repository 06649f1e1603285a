import { lstat, readdir, readlink } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

async function expand(root: string, src: string): Promise<string[]> {
  const clean = posix.normalize(`/${src}`).replace(/^\/+/, '');
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

/** The layer tar of a COPY/ADD: entries owned by uid:gid (root unless --chown), modes and times kept. */
export async function copyLayer(root: string, spec: CopySpec): Promise<Readable> {
  const items = await plan(root, spec);
  const pack = tar.pack();
  void (async () => {
    try {
      for (const it of items) {
        const base = { name: it.name, uid: spec.uid, gid: spec.gid };
        if (!it.host) { await entry(pack, { ...base, type: 'directory', mode: 0o755, mtime: spec.mtime ?? new Date(0) }); continue; }
        const st = await lstat(it.host);
        const h = { ...base, mode: st.mode & 0o7777, mtime: st.mtime };
        if (st.isDirectory()) await entry(pack, { ...h, type: 'directory' });
        else if (st.isSymbolicLink()) await entry(pack, { ...h, type: 'symlink', linkname: await readlink(it.host) });
        else if (st.isFile()) {
          const w = pack.entry({ ...h, type: 'file', size: st.size });
          await pipeline(createReadStream(it.host), w);
        }
      }
      pack.finalize();
    } catch (e) {
      pack.destroy(e as Error);
    }
  })();
  return pack as unknown as Readable;
}

function entry(pack: tar.Pack, header: Parameters<tar.Pack['entry']>[0]): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(header, (e) => (e ? reject(e) : resolve())));
}
