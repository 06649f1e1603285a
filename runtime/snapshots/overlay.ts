import { lstat, mkdir, rm, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotMetadata, SnapshotRow } from '../metadata/snapshots.ts';
import type { MountSpec } from '../mount/mount.ts';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../errors.ts';

/**
 * Overlayfs snapshotter in the manner of containerd's: every snapshot is a numbered
 * directory `<root>/<id>/{fs,work}`. Committed snapshots are read-only layers keyed by
 * chainID and shared by every image that has them; an active snapshot is a container's
 * writable layer on top of a committed parent chain.
 */
export class OverlaySnapshotter {
  constructor(private readonly root: string, private readonly meta: SnapshotMetadata) {}

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    // Directories without a record are leftovers of an interrupted unpack or remove.
    const known = new Set(this.meta.all().map((s) => String(s.id)));
    for (const name of await readdir(this.root)) {
      if (!known.has(name)) await rm(join(this.root, name), { recursive: true, force: true });
    }
  }

  stat(key: string): SnapshotRow | undefined {
    return this.meta.get(key);
  }

  /** Directory holding the snapshot's own files (the layer's diff, or a container's upper dir). */
  upperDir(key: string): string {
    return join(this.root, String(this.require(key).id), 'fs');
  }

  /** Lower directories of an active snapshot, top-most first, as overlay wants them. */
  lowerDirs(key: string): string[] {
    const row = this.require(key);
    return row.parent ? this.meta.chain(row.parent).map((s) => join(this.root, String(s.id), 'fs')) : [];
  }

  async prepare(key: string, parent?: string): Promise<MountSpec> {
    if (this.meta.get(key)) throw new AlreadyExistsError(`snapshot ${key} already exists`);
    if (parent) {
      const p = this.meta.get(parent);
      if (!p) throw new NotFoundError(`parent snapshot ${parent} not found`);
      if (p.kind !== 'committed') throw new ConflictError(`parent snapshot ${parent} is not committed`);
    }
    const row = this.meta.insert(key, parent, 'active');
    const dir = join(this.root, String(row.id));
    try {
      await mkdir(join(dir, 'fs'), { recursive: true });
      await mkdir(join(dir, 'work'), { recursive: true });
    } catch (e) {
      this.meta.delete(key);
      throw e;
    }
    return this.mounts(key);
  }

  /** Seal an active snapshot as a committed layer named `name` (a chainID). */
  async commit(name: string, key: string, size?: number): Promise<void> {
    const row = this.require(key);
    if (row.kind !== 'active') throw new ConflictError(`snapshot ${key} is not active`);
    if (this.meta.get(name)) throw new AlreadyExistsError(`snapshot ${name} already exists`);
    size ??= await diskUsage(join(this.root, String(row.id), 'fs'));
    await rm(join(this.root, String(row.id), 'work'), { recursive: true, force: true });
    this.meta.rename(key, name, 'committed', size);
  }

  mounts(key: string): MountSpec {
    const row = this.require(key);
    const lowers = row.parent ? this.meta.chain(row.parent).map((s) => `${s.id}/fs`) : [];
    if (row.kind === 'committed' || lowers.length === 0) {
      return { type: 'bind', source: join(this.root, String(row.id), 'fs'), options: row.kind === 'committed' ? ['ro'] : [] };
    }
    return {
      type: 'overlay',
      source: 'overlay',
      cwd: this.root,
      options: [`lowerdir=${lowers.join(':')}`, `upperdir=${row.id}/fs`, `workdir=${row.id}/work`, 'index=off'],
    };
  }

  async remove(key: string): Promise<void> {
    const row = this.meta.get(key);
    if (!row) return;
    if (this.meta.children(key).length > 0) throw new ConflictError(`snapshot ${key} has children`);
    this.meta.delete(key);
    await rm(join(this.root, String(row.id)), { recursive: true, force: true });
  }

  /** Bytes used by the snapshot's own directory (a container's SizeRw, a layer's size). */
  async usage(key: string): Promise<number> {
    return diskUsage(join(this.root, String(this.require(key).id), 'fs'));
  }

  private require(key: string): SnapshotRow {
    const row = this.meta.get(key);
    if (!row) throw new NotFoundError(`snapshot ${key} not found`);
    return row;
  }
}

/**
 * Bytes of the files in a snapshot directory, as `docker ps -s` counts them: regular files
 * and symlinks, not the directories themselves, so an untouched container layer is 0 B.
 */
async function diskUsage(dir: string): Promise<number> {
  let total = 0;
  const walk = async (d: string): Promise<void> => {
    let entries;
    try { entries = await readdir(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() || e.isSymbolicLink()) total += (await lstat(p).catch(() => ({ size: 0 }))).size;
    }
  };
  await walk(dir);
  return total;
}
