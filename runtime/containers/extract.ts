import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { InvalidArgumentError, isWharfError } from '../errors.ts';
import { openLayer } from '../diff/decompress.ts';
import { baseOf, normalizeEntryName, WHITEOUT_PREFIX } from '../diff/names.ts';
import { resolveUser } from '../oci/user.ts';
import { lstatOrNull } from '../util/fs.ts';
import { openDirAt, resolveIn, type Located } from './confined.ts';
import { attributesOf, writeEntry, writeHardlink, type EntryData } from './cp-write.ts';
import type { ContainerView, ViewMount } from './view.ts';

export interface ExtractOptions {
  /** Refuse to replace a directory with a non-directory or the other way round (docker cp's default). */
  noOverwriteDirNonDir?: boolean;
  /** Own everything by the container's user instead of the ids in the archive (`docker cp -a`). */
  copyUIDGID?: boolean;
}

interface Target extends ExtractOptions {
  /** Throws when nothing may be written on that mount (undefined: the rootfs). */
  writable: (mount: ViewMount | undefined) => void;
  /** The container's Config.User. */
  user: string;
  /** Where the archive is kept between checking and extracting (the container's directory). */
  spoolDir: string;
}

const TYPES = new Set(['file', 'contiguous-file', 'directory', 'symlink', 'link', 'character-device', 'block-device', 'fifo']);

/** A name relative to the extraction point. Absolute names count from it, as Docker's Unpack reads them; `..` out of it is refused. */
function entryName(name: string, field: string): string {
  return normalizeEntryName(name.replace(/^\/+/, '') || '.', field);
}

async function* entries(file: string): AsyncGenerator<{ header: tar.Header; stream: EntryData }> {
  const extract = tar.extract();
  const piping = pipeline(createReadStream(file), extract);
  let failed: unknown = null;
  piping.catch((e: unknown) => { failed = e; });
  let finished = false;
  try {
    // streamx readables are async iterable; their type declarations leave that out.
    for await (const entry of extract as unknown as AsyncIterable<{ header: tar.Header }>) yield { header: entry.header, stream: entry as unknown as EntryData };
    await piping;
    finished = true;
  } catch (e) {
    const err = failed ?? e;
    if (isWharfError(err) || !(err instanceof Error)) throw err;
    throw new InvalidArgumentError(`invalid tar archive: ${err.message}`, { cause: err });
  } finally {
    // Also when the consumer stops early: close the file and the parser.
    if (!finished) {
      extract.destroy();
      await piping.catch(() => undefined);
    }
  }
}

/**
 * Everything that can be refused is refused before the first byte is written: names that climb
 * out of the extraction point, whiteout names (a copy is not a layer), unknown entry types and,
 * with noOverwriteDirNonDir, type changes of existing paths.
 */
async function check(file: string, view: ContainerView, destPath: string, o: Target): Promise<void> {
  const isDir = new Map<string, boolean>();
  for await (const { header: h, stream } of entries(file)) {
    stream.resume();
    const rel = entryName(h.name, 'entry');
    if (h.type === 'link') entryName(h.linkname ?? '', `hardlink target of "${h.name}"`);
    if (baseOf(rel).startsWith(WHITEOUT_PREFIX)) throw new InvalidArgumentError(`archive entry "${h.name}": whiteout names cannot be copied into a container`);
    if (!TYPES.has(h.type ?? '')) throw new InvalidArgumentError(`archive entry "${h.name}": unsupported entry type ${String(h.type)}`);
    if (rel === '') continue;
    const dir = h.type === 'directory';
    if (o.noOverwriteDirNonDir) {
      let was = isDir.get(rel);
      if (was === undefined) {
        const at = await resolveIn(view, posix.join(destPath, rel), { follow: false });
        const st = at === null ? null : await lstatOrNull(at.dir.at(at.name)).finally(() => at.close());
        was = st === null ? undefined : st.isDirectory();
      }
      const where = posix.join(destPath, rel);
      if (was === true && !dir) throw new InvalidArgumentError(`cannot overwrite directory "${where}" with non-directory "${h.name}"`);
      if (was === false && dir) throw new InvalidArgumentError(`cannot overwrite non-directory "${where}" with directory "${h.name}"`);
    }
    isDir.set(rel, dir);
  }
}

/** Resolves an entry's place in the container, creating missing parents; refuses read-only places. */
async function place(view: ContainerView, path: string, o: Target, shown: string): Promise<Located> {
  const at = await resolveIn(view, path, { follow: false, create: o.writable });
  if (at === null) throw new InvalidArgumentError(`archive entry "${shown}": a parent directory is not a directory`);
  try {
    o.writable(at.mount);
  } catch (e) {
    await at.close();
    throw e;
  }
  return at;
}

async function unpack(file: string, view: ContainerView, destPath: string, o: Target, owner?: { uid: number; gid: number }): Promise<void> {
  const dirTimes = new Map<string, { atime: number; mtime: number }>();
  for await (const { header: h, stream } of entries(file)) {
    const rel = entryName(h.name, 'entry');
    if (rel === '') {
      stream.resume(); // the extraction point itself keeps its owner and mode, as in Docker
      continue;
    }
    const attrs = attributesOf(h, owner);
    const at = await place(view, posix.join(destPath, rel), o, h.name);
    try {
      if (at.name === '.') {
        // A volume or bind's root: it stays what it is, as a mount point does under Docker.
        stream.resume();
        if (h.type !== 'directory') throw new InvalidArgumentError(`archive entry "${h.name}": cannot replace the mount point ${at.path}`);
      } else if (h.type === 'link') {
        stream.resume();
        const target = await resolveIn(view, posix.join(destPath, entryName(h.linkname ?? '', 'hardlink target')), { follow: false });
        if (target === null) throw new InvalidArgumentError(`archive entry "${h.name}": hardlink target "${h.linkname}" not found`);
        try {
          await writeHardlink(at.dir, at.name, target.dir, target.name);
        } finally {
          await target.close();
        }
      } else {
        await writeEntry(at.dir, at.name, h, stream, attrs);
        if (h.type === 'directory') dirTimes.set(at.path, attrs);
      }
    } finally {
      await at.close();
    }
  }
  // Adding children bumps a directory's mtime, so directory times are set once everything is in.
  for (const [path, t] of dirTimes) {
    const at = await resolveIn(view, path, { follow: false });
    if (at === null) continue;
    try {
      const dir = await openDirAt(at.dir, at.name);
      if (dir) await dir.handle.utimes(t.atime, t.mtime).finally(() => dir.close());
    } finally {
      await at.close();
    }
  }
}

/**
 * Extract a tar (plain or gzip) into the container directory `destPath`. The archive is spooled
 * to disk first so it can be checked whole, then each entry is written where the container
 * would see it (its symlinks, its mounts), from directories held open (confined.ts), so neither
 * the archive nor a process swapping paths meanwhile can make it land outside the container.
 */
export async function extractInto(src: Readable, view: ContainerView, destPath: string, o: Target): Promise<void> {
  const spool = join(o.spoolDir, `.archive-${randomBytes(8).toString('hex')}.tar`);
  try {
    const { stream, gunzip } = await openLayer(src);
    const out = createWriteStream(spool, { flags: 'wx', mode: 0o600 });
    await (gunzip ? pipeline(stream, gunzip, out) : pipeline(stream, out)).catch((e: unknown) => {
      const code = (e as NodeJS.ErrnoException).code;
      throw typeof code === 'string' && code.startsWith('Z_') ? new InvalidArgumentError(`invalid gzip archive: ${(e as Error).message}`) : e;
    });
    await check(spool, view, destPath, o);
    const owner = o.copyUIDGID && o.user ? await resolveUser(o.user, view.rootfs) : undefined;
    await unpack(spool, view, destPath, o, owner);
  } finally {
    await rm(spool, { force: true });
  }
}
