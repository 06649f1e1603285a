import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { changes, computeDiff, type Change } from '../diff/compute.ts';
import type { ContainerContext } from './context.ts';
import { lstatOrNull } from '../util/fs.ts';

/**
 * What the runtime itself creates in a container's writable layer: mount points for the files
 * and filesystems every container gets. Docker keeps them in a separate init layer, so neither
 * `docker diff` nor `docker commit` ever shows them; Wharf leaves them out the same way, as long
 * as they are still the empty placeholders the runtime made.
 */
const PLACEHOLDER_FILES = new Set(['etc/hostname', 'etc/hosts', 'etc/resolv.conf', 'etc/mtab', '.dockerenv', 'dev/console']);
const PLACEHOLDER_DIRS = new Set(['dev', 'dev/pts', 'dev/shm', 'dev/mqueue', 'proc', 'sys']);

async function isPlaceholder(upper: string, rel: string): Promise<boolean> {
  const isFile = PLACEHOLDER_FILES.has(rel);
  if (!isFile && !PLACEHOLDER_DIRS.has(rel)) return false;
  const st = await lstatOrNull(join(upper, rel));
  if (st === null) return false;
  if (isFile) return st.isFile() && st.size === 0;
  return st.isDirectory() && (await readdir(join(upper, rel))).length === 0;
}

/** `docker diff`: the changes in the writable layer against the image, without runtime placeholders. */
export async function containerChanges(ctx: ContainerContext, id: string): Promise<Change[]> {
  const key = ctx.meta.get(id)!.record.SnapshotKey;
  const upper = ctx.snapshots.upperDir(key);
  const all = await changes(ctx.snapshots.lowerDirs(key), upper);
  const dropped: string[] = [];
  const kept: Change[] = [];
  for (const c of all) {
    if (c.Kind === 1 && await isPlaceholder(upper, c.Path.slice(1))) dropped.push(c.Path);
    else kept.push(c);
  }
  // A directory listed only because a placeholder was made in it is not a change the user made.
  const parents = new Set(dropped.map((p) => p.slice(0, p.lastIndexOf('/')) || '/'));
  return kept.filter((c) => !(c.Kind === 0 && parents.has(c.Path) && !kept.some((o) => o.Path.startsWith(`${c.Path}/`))));
}

/**
 * The writable layer as an OCI layer tar (uncompressed), for `docker commit`: computeDiff over
 * the upper directory, runtime placeholders left out.
 */
export function containerDiff(ctx: ContainerContext, id: string): Readable {
  const key = ctx.meta.get(id)!.record.SnapshotKey;
  const upper = ctx.snapshots.upperDir(key);
  const src = computeDiff(ctx.snapshots.lowerDirs(key), upper);
  const extract = tar.extract();
  const pack = tar.pack();
  const out = new PassThrough();
  extract.on('entry', (header, stream, next) => {
    const rel = header.name.replace(/\/+$/, '');
    const skip = header.type === 'file' && header.size === 0 && PLACEHOLDER_FILES.has(rel);
    if (skip) {
      stream.on('end', next);
      stream.resume();
      return;
    }
    pipeline(stream, pack.entry(header, (e) => { if (e) extract.destroy(e); })).then(() => next(), (e: Error) => next(e));
  });
  extract.on('finish', () => pack.finalize());
  pipeline(src, extract).catch((e: Error) => pack.destroy(e));
  pipeline(pack, out).catch((e: Error) => out.destroy(e));
  return out;
}
