import { readlink } from 'node:fs/promises';

/** The namespace kinds of /proc/<pid>/ns that describe a container's isolation. */
export const NAMESPACE_TYPES = ['pid', 'net', 'ipc', 'uts', 'mnt', 'cgroup', 'user'] as const;
export type NamespaceType = (typeof NAMESPACE_TYPES)[number];

export interface NamespaceView {
  type: NamespaceType;
  /** The namespace's inode number: two processes are in the same namespace exactly when these match. */
  inode: number | null;
  /** `host` when it is the engine's own namespace (where its bridges and rules live), a container name when another container lives in it, else `own`. */
  sharedWith: 'host' | 'own' | { container: string; id: string };
}

export interface NamespacePeer { id: string; name: string; pid: number }

/** `net:[4026531840]` → 4026531840; undefined when the process is gone or the kind is unsupported. */
export async function namespaceInode(pid: number | 'self', type: NamespaceType): Promise<number | undefined> {
  try {
    const link = await readlink(`/proc/${pid}/ns/${type}`);
    const m = /\[(\d+)\]$/.exec(link);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function inodes(pid: number | 'self'): Promise<Map<NamespaceType, number>> {
  const out = new Map<NamespaceType, number>();
  await Promise.all(NAMESPACE_TYPES.map(async (t) => {
    const ino = await namespaceInode(pid, t);
    if (ino !== undefined) out.set(t, ino);
  }));
  return out;
}

/**
 * The namespaces of `pid`, each compared with the engine's own (the host's) and with those of the
 * other running containers, so a `--pid host` or `--network container:x` is visible as such.
 */
export async function namespaceViews(pid: number, peers: readonly NamespacePeer[]): Promise<NamespaceView[]> {
  const [own, host, ...others] = await Promise.all([inodes(pid), inodes('self'), ...peers.map((p) => inodes(p.pid))]);
  return NAMESPACE_TYPES.map((type) => {
    const inode = own.get(type) ?? null;
    let sharedWith: NamespaceView['sharedWith'] = 'own';
    if (inode !== null && host.get(type) === inode) sharedWith = 'host';
    else if (inode !== null) {
      const i = others.findIndex((m) => m.get(type) === inode);
      if (i >= 0) sharedWith = { container: peers[i]!.name, id: peers[i]!.id };
    }
    return { type, inode, sharedWith };
  });
}
