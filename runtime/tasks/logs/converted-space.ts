/**
 * conmon's `ctr.log` of a json-file container would grow forever beside the rotated json files.
 * Its converted part is given back to the filesystem with `fallocate --punch-hole`: conmon's
 * offsets, and the engine's, stay valid and the file just becomes sparse. Only the part every
 * attach reader has read goes (within followers.ts's LAG_LIMIT), since a hole reads as zeros.
 */
import { run } from '../../util/exec.ts';
import { LAG_LIMIT } from './followers.ts';

/** Converted bytes are released in steps this large: each step is a process. */
const PUNCH_STEP = 8 * 1024 * 1024;
const BLOCK = 4096;

export class ConvertedSpace {
  private ino = -1;
  private punchedTo = 0;

  /** @param readTo offset of the source (by inode) below which its attach readers have all read */
  constructor(private readonly source: string, private readonly readTo: (ino: number) => number) {}

  /** The source `srcIno` is converted up to `srcOffset`: give back what no reader still needs. */
  async release(srcIno: number, srcOffset: number): Promise<void> {
    // A new ctr.log (the container was re-created from scratch) has nothing punched yet.
    if (srcIno !== this.ino) {
      this.ino = srcIno;
      this.punchedTo = 0;
    }
    const upTo = Math.min(srcOffset, Math.max(this.readTo(srcIno), srcOffset - LAG_LIMIT));
    const end = Math.floor(upTo / BLOCK) * BLOCK;
    if (end - this.punchedTo < PUNCH_STEP) return;
    // Best effort: on a filesystem without hole punching the file just keeps its blocks.
    await run('fallocate', ['--punch-hole', '--offset', '0', '--length', String(end), this.source]).catch(() => undefined);
    this.punchedTo = end;
  }
}
