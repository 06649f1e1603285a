import { randomBytes } from 'node:crypto';
import { link, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../util/exec.ts';
import { mapLimit } from './ahead.ts';

/** Node cannot mknod, so device nodes, fifos and overlay whiteouts are made by mknod(1). */

export type NodeKind = 'c' | 'b' | 'p';

/** Create one device node or fifo; `mknod` refuses an existing path, so nothing is followed or overwritten. */
export async function mknod(path: string, kind: NodeKind, major = 0, minor = 0): Promise<void> {
  const args = kind === 'p' ? ['--', path, 'p'] : ['--', path, kind, String(major), String(minor)];
  await run('mknod', args);
}

/** Well under any filesystem's hard-link limit (ext4: 65000), so EMLINK never comes up. */
const LINKS_PER_NODE = 1000;
const LINKS_IN_FLIGHT = 16;

/**
 * Overlay whiteouts (character devices 0:0) at every path in `paths`, all on the filesystem of
 * `scratchDir`. A layer can delete thousands of paths; a process per node would cost a
 * millisecond each, so one node is made per batch and hard-linked into place, which is also how
 * overlayfs itself shares whiteouts. link(2) refuses an existing path, like mknod.
 */
export async function makeWhiteouts(scratchDir: string, paths: readonly string[]): Promise<void> {
  for (let i = 0; i < paths.length; i += LINKS_PER_NODE) {
    const node = join(scratchDir, `.wharf-whiteout-${randomBytes(8).toString('hex')}`);
    await mknod(node, 'c', 0, 0);
    try {
      await mapLimit(paths.slice(i, i + LINKS_PER_NODE), LINKS_IN_FLIGHT, (p) => link(node, p));
    } finally {
      await rm(node, { force: true });
    }
  }
}
