/** Messages between the main thread and a tree-walking worker. */
export interface TreeSizeOptions {
  /** Count each inode once (hard links), as Docker's directory.Size does for volumes. */
  inodes?: boolean;
  /** Do not descend into other filesystems mounted below the directory. */
  xdev?: boolean;
}

export interface WorkerRequest { id: number; dir: string; options: TreeSizeOptions }

export type WorkerReply = { id: number; ok: true; value: number } | { id: number; ok: false; error: string };
