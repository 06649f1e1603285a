import { constants } from 'node:fs';
import { chmod, lchown, link, lutimes, mkdir, open, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Header } from 'tar-stream';
import { InvalidArgumentError } from '../errors.ts';
import { secureJoin } from '../util/securejoin.ts';
import { mknod } from './mknod.ts';
import {
  baseOf, joinRel, normalizeEntryName, parentOf, WHITEOUT_META_PREFIX, WHITEOUT_OPAQUE, WHITEOUT_PREFIX,
} from './names.ts';
import { LayerTree } from './tree.ts';
import { lstatOrNull } from '../util/fs.ts';

/** tar-stream attaches the entry's PAX records to its header, decoded as UTF-8 text. */
function paxOf(header: Header): Record<string, string> {
  return header.pax !== null && typeof header.pax === 'object' ? header.pax as Record<string, string> : {};
}

/** An entry's data as tar-stream hands it over. */
export interface EntryStream extends AsyncIterable<Buffer> { resume(): unknown }

interface Times { atime: number; mtime: number }

/** Writes are gathered up to this size per writev, bounding memory whatever the file size. */
const WRITE_BATCH = 256 * 1024;
/** Files still being finished while later entries are written; with WRITE_BATCH, bounds the data held (8 MiB). */
const INFLIGHT_FILES = 32;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Applies tar entries one by one onto a layer root. Whatever must run as a helper process or
 * must wait for the whole layer (whiteout nodes, opaque markers, xattrs, directory times) is only
 * recorded here, by relative path, for finish.ts.
 */
export class Unpacker {
  readonly tree: LayerTree;
  readonly whiteouts = new Set<string>();
  readonly opaques = new Set<string>();
  readonly dirTimes = new Map<string, Times>();
  readonly xattrs = new Map<string, Map<string, Buffer>>();
  private readonly inflight: Promise<void>[] = [];

  constructor(root: string, private readonly createParents: boolean, lowers: readonly string[] = []) {
    this.tree = new LayerTree(root, lowers);
  }

  async entry(header: Header, stream: EntryStream): Promise<void> {
    const rel = normalizeEntryName(header.name);
    const base = baseOf(rel);
    const special = base.startsWith(WHITEOUT_PREFIX) || (rel.startsWith(WHITEOUT_META_PREFIX) && rel !== WHITEOUT_OPAQUE);
    // Only regular files read their data; anything else is discarded so the tar moves on.
    if (special || (header.type !== 'file' && header.type !== 'contiguous-file')) stream.resume();
    if (rel.startsWith(WHITEOUT_META_PREFIX) && rel !== WHITEOUT_OPAQUE) return; // AUFS bookkeeping (.wh..wh.plnk)
    if (special) return this.whiteout(rel, header.name);

    const pax = paxOf(header);
    const num = (key: string, fallback: number, integer: boolean): number => {
      const v = pax[key] === undefined ? fallback : Number(pax[key]);
      if (!Number.isFinite(v) || (integer && (!Number.isInteger(v) || v < 0))) {
        throw new InvalidArgumentError(`layer entry "${header.name}": invalid ${key} "${pax[key]}"`);
      }
      return v;
    };
    const uid = num('uid', header.uid ?? 0, true);
    const gid = num('gid', header.gid ?? 0, true);
    const mode = (header.mode ?? 0) & 0o7777;
    const mtime = num('mtime', (header.mtime?.getTime() ?? 0) / 1000, false);
    const times = { mtime, atime: num('atime', mtime, false) };
    this.recordXattrs(rel, pax);

    switch (header.type) {
      case 'directory': return this.directory(rel, uid, gid, mode, times);
      case 'file':
      case 'contiguous-file': return this.file(rel, stream, uid, gid, mode, times);
      case 'symlink': {
        if (rel === '') throw new InvalidArgumentError(`layer entry "${header.name}": the root cannot be a symlink`);
        if (!header.linkname) throw new InvalidArgumentError(`layer entry "${header.name}": symlink without a target`);
        const { host } = await this.tree.prepare(rel, false);
        await symlink(header.linkname, host);
        this.tree.created(host);
        await lchown(host, uid, gid);
        await lutimes(host, times.atime, times.mtime);
        return;
      }
      case 'link': return this.hardlink(rel, header, uid, gid, mode);
      case 'character-device':
      case 'block-device':
      case 'fifo': {
        if (rel === '') throw new InvalidArgumentError(`layer entry "${header.name}": the root must be a directory`);
        const { host } = await this.tree.prepare(rel, false);
        const kind = header.type === 'fifo' ? 'p' : header.type === 'block-device' ? 'b' : 'c';
        await mknod(host, kind, header.devmajor ?? 0, header.devminor ?? 0);
        this.tree.created(host);
        await this.attributes(host, uid, gid, mode, times);
        return;
      }
      default:
        throw new InvalidArgumentError(`layer entry "${header.name}": unsupported tar entry type ${String(header.type)}`);
    }
  }

  private async directory(rel: string, uid: number, gid: number, mode: number, times: Times): Promise<void> {
    let host = this.tree.root;
    if (rel !== '') {
      const prepared = await this.tree.prepare(rel, true);
      host = prepared.host;
      if (!prepared.merged) await mkdir(host, 0o700);
      this.tree.created(host, !prepared.merged);
    }
    await lchown(host, uid, gid);
    await chmod(host, mode); // after chown, which clears setgid
    // Adding children bumps a directory's mtime, so times are set once the whole layer is in.
    this.dirTimes.set(rel, times);
  }

  private async file(rel: string, stream: EntryStream, uid: number, gid: number, mode: number, times: Times): Promise<void> {
    if (rel === '') throw new InvalidArgumentError('layer entry for the root must be a directory');
    const { host } = await this.tree.prepare(rel, false);
    // O_EXCL|O_NOFOLLOW: the path was just cleared, so anything there now is not ours to write through.
    const fh = await open(host, CREATE_FLAGS, 0o600);
    this.tree.created(host);
    let tail: Buffer[] = [];
    try {
      let batched = 0;
      for await (const chunk of stream) {
        tail.push(chunk);
        batched += chunk.length;
        if (batched >= WRITE_BATCH) {
          await fh.writev(tail);
          tail = [];
          batched = 0;
        }
      }
    } catch (e) {
      await fh.close();
      throw e;
    }
    // The rest (the last < WRITE_BATCH bytes, which for most files is all of them, then owner,
    // mode, times) goes through the descriptor, which no later entry can redirect, so it may
    // overlap the next entries: one file at a time is bound by thread-pool round trips, not the disk.
    const finishing = (async () => {
      try {
        if (tail.length > 0) await fh.writev(tail);
        await fh.chown(uid, gid);
        await fh.chmod(mode); // after chown, which clears setuid/setgid
        await fh.utimes(times.atime, times.mtime);
      } finally {
        await fh.close();
      }
    })();
    finishing.catch(() => { /* surfaces in settle() */ });
    this.inflight.push(finishing);
    await this.settle(INFLIGHT_FILES);
  }

  /** Wait until at most `max` files are still being finished. */
  async settle(max = 0): Promise<void> {
    while (this.inflight.length > max) await this.inflight.shift();
  }

  private async hardlink(rel: string, header: Header, uid: number, gid: number, mode: number): Promise<void> {
    await this.settle(); // the target's own owner and mode first, then this entry's
    const targetRel = normalizeEntryName(header.linkname ?? '', `hardlink target of "${header.name}"`);
    if (rel === '' || targetRel === '') throw new InvalidArgumentError(`layer entry "${header.name}": hardlink to or as the root`);
    // Like link(2) itself, the target's final component is not followed: a link to a symlink links the symlink.
    const target = join(await secureJoin(this.tree.root, parentOf(targetRel)), baseOf(targetRel));
    const tst = await lstatOrNull(target);
    if (tst === null) throw new InvalidArgumentError(`layer entry "${header.name}": hardlink target "${header.linkname}" does not exist`);
    if (tst.isDirectory()) throw new InvalidArgumentError(`layer entry "${header.name}": hardlink target "${header.linkname}" is a directory`);
    const here = await this.tree.locate(rel);
    if (here === target) return;
    const { host } = await this.tree.prepare(rel, false);
    await link(target, host);
    this.tree.created(host);
    await lchown(host, uid, gid);
    if (!tst.isSymbolicLink()) await chmod(host, mode);
  }

  private async attributes(host: string, uid: number, gid: number, mode: number, times: Times): Promise<void> {
    await lchown(host, uid, gid);
    await chmod(host, mode);
    await lutimes(host, times.atime, times.mtime);
  }

  private async whiteout(rel: string, name: string): Promise<void> {
    const dir = parentOf(rel);
    const base = baseOf(rel);
    if (base === WHITEOUT_OPAQUE) {
      await this.tree.ensureDir(dir);
      this.opaques.add(dir);
      return;
    }
    if (base.startsWith(WHITEOUT_META_PREFIX)) return;
    const hidden = base.slice(WHITEOUT_PREFIX.length);
    if (hidden === '' || hidden === '.' || hidden === '..') throw new InvalidArgumentError(`layer entry "${name}": invalid whiteout`);
    const target = joinRel(dir, hidden);
    // Only overlay needs a place for the whiteout node; a plain tree just loses the path.
    const host = this.createParents ? join(await this.tree.ensureDir(dir), hidden) : await this.tree.locate(target);
    if (!this.tree.added.has(host) && await lstatOrNull(host) !== null) await this.tree.remove(host);
    this.whiteouts.add(target);
  }

  private recordXattrs(rel: string, pax: Record<string, string>): void {
    const attrs = new Map<string, Buffer>();
    for (const [key, value] of Object.entries(pax)) {
      if (!key.startsWith('SCHILY.xattr.')) continue;
      const name = key.slice('SCHILY.xattr.'.length);
      // Overlay's own attributes in a layer would let an image forge whiteouts or redirects.
      if (name.startsWith('trusted.overlay.')) continue;
      // tar-stream decodes PAX values as UTF-8; a value that was not valid UTF-8 cannot be recovered.
      if (value.includes('\uFFFD')) continue;
      attrs.set(name, Buffer.from(value, 'utf8'));
    }
    if (attrs.size > 0) this.xattrs.set(rel, attrs);
    else this.xattrs.delete(rel);
  }
}
