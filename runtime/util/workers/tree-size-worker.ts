/**
 * Runs in a worker thread (see pool.ts), never on the event loop: a walk of a large tree is
 * thousands of system calls, so it is done here with the synchronous calls, which are the
 * fastest, while the main thread keeps serving requests.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { TreeSizeOptions, WorkerRequest, WorkerReply } from './protocol.ts';

/**
 * Bytes of the regular files and symlinks under `dir` (directories themselves count nothing,
 * as in `docker ps -s`). With `inodes`, each inode counts once (hard links, Docker's
 * directory.Size); with `xdev`, mounts below `dir` are not entered.
 */
export function treeSize(dir: string, opts: TreeSizeOptions): number {
  let total = 0;
  const seen = new Set<string>();
  let root: ReturnType<typeof lstatSync>;
  try { root = lstatSync(dir); } catch { return 0; }
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let names: string[];
    try { names = readdirSync(d); } catch { continue; }
    for (const name of names) {
      const p = join(d, name);
      let st;
      try { st = lstatSync(p); } catch { continue; } // removed while we walked
      if (st.isDirectory()) {
        if (!opts.xdev || st.dev === root.dev) stack.push(p);
        continue;
      }
      if (!st.isFile() && !st.isSymbolicLink()) continue;
      if (opts.inodes) {
        const key = `${st.dev}:${st.ino}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      total += st.size;
    }
  }
  return total;
}

parentPort?.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: req.id, ok: true, value: treeSize(req.dir, req.options) };
  } catch (e) {
    reply = { id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
