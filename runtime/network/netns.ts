import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { hasForeignMount, unmount } from '../mount/mount.ts';
import { run } from '../util/exec.ts';

/**
 * Named network namespaces as `ip netns` keeps them, but under the engine's run root: an empty
 * file with the namespace bind-mounted on it, so it lives without any process in it and
 * survives the engine (containers outlive the server).
 */
export class NetnsDir {
  constructor(readonly dir: string) {}

  path(id: string): string {
    return join(this.dir, id);
  }

  /** A fresh namespace for `id` with its loopback up; an existing one is kept, so a retry is harmless. */
  async create(id: string): Promise<string> {
    const p = this.path(id);
    await mkdir(this.dir, { recursive: true, mode: 0o755 });
    if (await hasForeignMount(p)) return p;
    await (await open(p, 'a', 0o444)).close();
    // util-linux unshare bind-mounts the new namespace onto the file and runs `ip` in it: one
    // process chain does what a CNI loopback ADD after it would.
    await run('unshare', [`--net=${p}`, 'ip', 'link', 'set', 'lo', 'up']);
    return p;
  }

  async remove(id: string): Promise<void> {
    const p = this.path(id);
    await unmount(p, hasForeignMount);
    await rm(p, { force: true });
  }

  async exists(id: string): Promise<boolean> {
    // The namespace (nsfs) is bind-mounted on a file of another filesystem.
    return hasForeignMount(this.path(id));
  }

  async list(): Promise<string[]> {
    return readdir(this.dir).catch(() => [] as string[]);
  }
}
