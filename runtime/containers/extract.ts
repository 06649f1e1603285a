import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { InvalidArgumentError, isWharfError } from '../errors.ts';
import { openLayer } from '../diff/decompress.ts';
import { finishLayer } from '../diff/finish.ts';
import { baseOf, normalizeEntryName, parentOf, WHITEOUT_PREFIX } from '../diff/names.ts';
import { Unpacker, type EntryStream } from '../diff/unpack.ts';
import { resolveUser } from '../oci/user.ts';
import { secureJoin } from '../util/securejoin.ts';
import { lstatOrNull } from '../util/fs.ts';

export interface ExtractOptions {
  /** Refuse to replace a directory with a non-directory or the other way round (docker cp's default). */
  noOverwriteDirNonDir?: boolean;
  /** Own everything by the container's user instead of the ids in the archive (`docker cp -a`). */
  copyUIDGID?: boolean;
}

interface Target extends ExtractOptions {
  /** The container's rootfs on the host, to look its user up in. */
  rootfs: string;
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

async function* entries(file: string): AsyncGenerator<{ header: tar.Header; stream: EntryStream }> {
  const extract = tar.extract();
  const piping = pipeline(createReadStream(file), extract);
  let failed: unknown = null;
  piping.catch((e: unknown) => { failed = e; });
  let finished = false;
  try {
    // streamx readables are async iterable; their type declarations leave that out.
    for await (const entry of extract as unknown as AsyncIterable<{ header: tar.Header }>) yield { header: entry.header, stream: entry as unknown as EntryStream };
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
async function check(file: string, destHost: string, destPath: string, o: Target): Promise<void> {
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
        const st = await lstatOrNull(join(await secureJoin(destHost, parentOf(rel)), baseOf(rel)));
        was = st === null ? undefined : st.isDirectory();
      }
      const where = posix.join(destPath, rel);
      if (was === true && !dir) throw new InvalidArgumentError(`cannot overwrite directory "${where}" with non-directory "${h.name}"`);
      if (was === false && dir) throw new InvalidArgumentError(`cannot overwrite non-directory "${where}" with directory "${h.name}"`);
    }
    isDir.set(rel, dir);
  }
}

async function unpack(file: string, destHost: string, owner?: { uid: number; gid: number }): Promise<void> {
  const unpacker = new Unpacker(destHost, false);
  try {
    for await (const { header: h, stream } of entries(file)) {
      h.name = entryName(h.name, 'entry');
      if (h.name === '') {
        stream.resume(); // the extraction point itself keeps its owner and mode, as in Docker
        continue;
      }
      if (h.type === 'link') h.linkname = entryName(h.linkname ?? '', 'hardlink target');
      if (owner) {
        h.uid = owner.uid;
        h.gid = owner.gid;
        const pax = h.pax as Record<string, string> | null | undefined;
        if (pax) { delete pax.uid; delete pax.gid; }
      }
      await unpacker.entry(h, stream);
    }
    await unpacker.settle();
  } catch (e) {
    await unpacker.settle().catch(() => undefined);
    throw e;
  }
  await finishLayer(unpacker, false);
}

/**
 * Extract a tar (plain or gzip) into `destHost`, which stands for `destPath` in the container.
 * The archive is spooled to disk first so it can be checked whole, then applied with the layer
 * applier's confined extraction: every path resolves inside `destHost`, whatever `..` or
 * symlinks the archive holds.
 */
export async function extractInto(src: Readable, destHost: string, destPath: string, o: Target): Promise<void> {
  const spool = join(o.spoolDir, `.archive-${randomBytes(8).toString('hex')}.tar`);
  try {
    const { stream, gunzip } = await openLayer(src);
    const out = createWriteStream(spool, { flags: 'wx', mode: 0o600 });
    await (gunzip ? pipeline(stream, gunzip, out) : pipeline(stream, out)).catch((e: unknown) => {
      const code = (e as NodeJS.ErrnoException).code;
      throw typeof code === 'string' && code.startsWith('Z_') ? new InvalidArgumentError(`invalid gzip archive: ${(e as Error).message}`) : e;
    });
    await check(spool, destHost, destPath, o);
    const owner = o.copyUIDGID && o.user ? await resolveUser(o.user, o.rootfs) : undefined;
    await unpack(spool, destHost, owner);
  } finally {
    await rm(spool, { force: true });
  }
}
