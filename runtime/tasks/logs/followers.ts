/**
 * The readers following one container's conmon log as it is written (attach), and where each
 * has read to. What the engine does to that file behind the readers' backs waits for them:
 * a new file is started only once every reader reads the current one (so none is ever more
 * than one file behind, and it finds the next file at the log's path), and converted bytes
 * are given back to the filesystem only below every reader's offset (so none reads a hole).
 *
 * A reader that has not opened its file yet has no position: it holds back both.
 *
 * Only so far, though: a reader LAG_LIMIT behind the writer (a client that stopped reading
 * but stays connected) no longer holds the disk, and loses what is past. dockerd would stop the
 * container's output instead; conmon cannot be held back from here.
 */
import type { LogFile } from './file.ts';

/** How far behind the writer a reader may hold a log back. */
export const LAG_LIMIT = 128 * 1024 * 1024;

export class LogFollower {
  /** The inode of the file being read; undefined until the reader has opened it. */
  ino: number | undefined;
  /** Bytes of that file read so far. */
  offset = 0;
  private successor: LogFile | undefined;
  private left = false;

  constructor(private readonly group: LogFollowers) {}

  /** The reader has read `ino` up to `offset`. */
  at(ino: number, offset: number): void {
    this.ino = ino;
    this.offset = offset;
  }

  /**
   * The file to continue in after the current one, when it was handed over (the log's path
   * was about to go); otherwise the reader opens the log's path itself.
   */
  takeSuccessor(): LogFile | undefined {
    const file = this.successor;
    this.successor = undefined;
    return file;
  }

  get hasSuccessor(): boolean {
    return this.successor !== undefined;
  }

  /** Called by the group only. */
  handOver(file: LogFile): void {
    if (this.left) { void file.close(); return; }
    void this.successor?.close();
    this.successor = file;
  }

  leave(): void {
    if (this.left) return;
    this.left = true;
    this.group.remove(this);
    void this.takeSuccessor()?.close();
  }
}

export class LogFollowers {
  private readonly members = new Set<LogFollower>();

  /** @param onLeave called when a reader stops following (what it held back may go now). */
  constructor(private readonly onLeave?: () => void) {}

  join(): LogFollower {
    const f = new LogFollower(this);
    this.members.add(f);
    return f;
  }

  get size(): number {
    return this.members.size;
  }

  /** Whether a new file may be started after `ino`: every reader is reading it. */
  allIn(ino: number): boolean {
    for (const f of this.members) if (f.ino !== ino) return false;
    return true;
  }

  /** Offset of `ino` below which every reader has read (readers of other files do not count). */
  readTo(ino: number): number {
    let low = Infinity;
    for (const f of this.members) {
      if (f.ino === undefined) return 0;
      if (f.ino === ino) low = Math.min(low, f.offset);
    }
    return low;
  }

  /**
   * The log's path is about to go (the container is being removed): readers still in an
   * older file get the current one, opened now, to continue in.
   */
  async handOver(open: () => Promise<LogFile | undefined>): Promise<void> {
    for (const f of this.members) {
      if (f.ino === undefined) continue;
      const file = await open();
      if (!file) return;
      if (file.ino === f.ino) await file.close();
      else f.handOver(file);
    }
  }

  /** Called by a follower leaving. */
  remove(f: LogFollower): void {
    if (this.members.delete(f)) this.onLeave?.();
  }
}
