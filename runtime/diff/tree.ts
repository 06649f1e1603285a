import type { Stats } from 'node:fs';
import { chmod, lchown, mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { secureJoin } from '../util/securejoin.ts';
import { baseOf, parentOf } from './names.ts';
import { lstatOrNull } from '../util/fs.ts';


/**
 * The layer root as the applier sees it: every path a tar entry names is turned into a host path
 * here, and only here. Parents are resolved with secureJoin (so a symlink an earlier entry planted
 * cannot lead outside root) and verified to be real directories before anything is created in
 * them; the final component is never followed.
 *
 * Also remembers what this layer created, so whiteouts and opaque markers remove only what lay
 * below the layer (OCI: "whiteouts apply to lower layers"), in whatever order the tar lists them.
 */
export class LayerTree {
  /** Host paths this layer created or named, including parents made implicitly. */
  readonly added = new Set<string>();
  /** Directories this run created empty: their only children are ones in `added`, so lookups can skip lstat. */
  private readonly fresh = new Set<string>();
  /** Relative directory → verified host directory; any removal clears it, since a removal can change what a path resolves to. */
  private dirs = new Map<string, string>();
  /** Times of directories made implicitly, taken from the layers below, to be set once the layer is in. */
  readonly inheritedTimes = new Map<string, { atime: number; mtime: number }>();

  /** `lowers`: the layers below (top-most first), whose directories lend their attributes to ones made implicitly. */
  constructor(readonly root: string, private readonly lowers: readonly string[] = []) {}

  /** Host path of an existing-or-not path, its final component not followed. Creates nothing. */
  async locate(rel: string): Promise<string> {
    if (rel === '') return this.root;
    const cached = this.dirs.get(parentOf(rel));
    return join(cached ?? await secureJoin(this.root, parentOf(rel)), baseOf(rel));
  }

  /**
   * Make `rel` a real directory and return its host path. Symlinks on the way are followed inside
   * root (a dangling one gets its target created, as `mkdir -p` through it would); any other
   * non-directory on the way, or a symlink to one, is replaced by a directory.
   */
  async ensureDir(rel: string): Promise<string> {
    if (rel === '') return this.root;
    const cached = this.dirs.get(rel);
    if (cached !== undefined) return cached;
    let cur = this.root;
    for (const part of rel.split('/')) {
      const next = join(cur, part);
      const st = await this.statChild(cur, next);
      if (st?.isDirectory()) {
        cur = next;
        continue;
      }
      if (st?.isSymbolicLink()) {
        const target = await secureJoin(this.root, relative(this.root, next));
        const tst = await lstatOrNull(target);
        if (tst?.isDirectory()) {
          cur = target;
          continue;
        }
        // secureJoin resolved every existing component, so this recursion meets no symlink.
        if (tst === null) {
          cur = await this.ensureDir(relative(this.root, target));
          continue;
        }
      }
      if (st !== null) await this.remove(next);
      await mkdir(next, 0o755);
      this.created(next, true);
      await this.inherit(next);
      cur = next;
    }
    this.dirs.set(rel, cur);
    return cur;
  }

  /**
   * Host path where an entry for `rel` can be created: whatever is there goes (a directory
   * recursively), except a directory that a directory entry merges into. Returns whether it merged.
   */
  async prepare(rel: string, isDir: boolean): Promise<{ host: string; merged: boolean }> {
    const parent = await this.ensureDir(parentOf(rel));
    const host = join(parent, baseOf(rel));
    const st = await this.statChild(parent, host);
    if (st !== null) {
      if (isDir && st.isDirectory()) return { host, merged: true };
      await this.remove(host);
    }
    return { host, merged: false };
  }

  /** Record a path this layer created; a directory created here starts out empty. */
  created(host: string, freshDir = false): void {
    this.added.add(host);
    if (freshDir) this.fresh.add(host);
  }

  /** A directory this run created: everything in it came from this layer. */
  isFresh(host: string): boolean {
    return this.fresh.has(host);
  }

  async remove(host: string): Promise<void> {
    this.dirs.clear();
    await rm(host, { recursive: true, force: true });
  }

  /**
   * A directory the archive needs but does not list: in an overlay upper it would mask the lower
   * directory's owner and mode with root's 0755, so it takes them from the layer below that has it.
   */
  private async inherit(host: string): Promise<void> {
    const rel = relative(this.root, host);
    for (const lower of this.lowers) {
      const st = await lstatOrNull(join(await secureJoin(lower, parentOf(rel)), baseOf(rel)));
      if (st === null) continue;
      if (!st.isDirectory()) return;
      await lchown(host, st.uid, st.gid);
      await chmod(host, st.mode & 0o7777);
      this.inheritedTimes.set(rel, { atime: st.atimeMs / 1000, mtime: st.mtimeMs / 1000 });
      return;
    }
  }

  private async statChild(parent: string, host: string): Promise<Stats | null> {
    if (this.fresh.has(parent) && !this.added.has(host)) return null;
    return lstatOrNull(host);
  }
}
