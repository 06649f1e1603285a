/**
 * Appends json-file entries to `<id>-json.log` and rotates it as dockerd's LogFile does: before
 * an entry is written, a file that has reached `max-size` is renamed to `.1` (`.1` to `.2`, …,
 * the oldest beyond `max-file` removed) and a new one started; with `max-file` 1 the file is
 * truncated instead.
 *
 * Crash safety: the converter commits `{ino, size}` of the current file with its source offset
 * after every flush. Whatever a killed engine appended after its last commit is cut off again
 * when the writer reopens (and converted again from the committed source offset), so the file
 * never holds an entry twice. A rotation that was not committed yet is recognised by the
 * committed inode now being `.1`.
 */
import { open, rename, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import type { LogStream } from './format.ts';
import { ENTRY_OVERHEAD, jsonEntryText, writePlainEntry } from './json-format.ts';

/** The first size of the buffer entries are queued in (it grows to a batch's worth). */
const PENDING_START = 64 * 1024;

export interface RotationLimits {
  /** Bytes; -1 for no limit. */
  maxSize: number;
  maxFiles: number;
}

/** The current file as last committed. */
export interface WriterPosition { ino: number; size: number }

export class JsonLogWriter {
  /** Allocated by the first entry of a batch and let go after its flush: idle containers hold none. */
  private pending = Buffer.alloc(0);
  private pendingBytes = 0;

  private constructor(readonly path: string, private readonly limits: RotationLimits, private fh: FileHandle, private ino: number, private size: number) {}

  /** Open for appending, first undoing what was written after `committed` (none: everything). */
  static async open(path: string, limits: RotationLimits, committed: WriterPosition | undefined): Promise<JsonLogWriter> {
    await recover(path, committed);
    const fh = await open(path, 'a', 0o640);
    const st = await fh.stat();
    return new JsonLogWriter(path, limits, fh, st.ino, st.size);
  }

  get position(): WriterPosition {
    return { ino: this.ino, size: this.size };
  }

  /** The next entry must go to a new file: flush and commit, then `rotate()`. */
  get full(): boolean {
    return this.limits.maxSize > 0 && this.size + this.pendingBytes >= this.limits.maxSize;
  }

  /** Queue the entry for the message `src[from, to)` of `stream`, with its `\n` when `newline`. */
  add(stream: LogStream, timeNs: bigint, src: Buffer, from: number, to: number, newline: boolean): void {
    this.reserve(to - from + ENTRY_OVERHEAD);
    const end = writePlainEntry(this.pending, this.pendingBytes, stream, timeNs, src, from, to, newline);
    if (end >= 0) {
      this.pendingBytes = end;
      return;
    }
    const text = jsonEntryText(stream, timeNs, src.subarray(from, to), newline);
    this.reserve(Buffer.byteLength(text));
    this.pendingBytes += this.pending.write(text, this.pendingBytes, 'utf8');
  }

  /** Write the added entries; the caller commits `position` afterwards. */
  async flush(): Promise<void> {
    const length = this.pendingBytes;
    if (length === 0) return;
    // Dropped even if the write fails: the uncommitted source is converted again.
    this.pendingBytes = 0;
    const data = this.pending;
    this.pending = Buffer.alloc(0);
    await this.fh.write(data, 0, length);
    this.size += length;
  }

  private reserve(bytes: number): void {
    if (this.pendingBytes + bytes <= this.pending.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.pending.length * 2, this.pendingBytes + bytes, PENDING_START));
    this.pending.copy(next, 0, 0, this.pendingBytes);
    this.pending = next;
  }

  /** Start a new current file (after a flush and commit). */
  async rotate(): Promise<void> {
    await this.fh.close();
    const { maxFiles } = this.limits;
    if (maxFiles >= 2) {
      await rm(`${this.path}.${maxFiles - 1}`, { force: true });
      for (let i = maxFiles - 1; i > 1; i--) await renameIfPresent(`${this.path}.${i - 1}`, `${this.path}.${i}`);
      await rename(this.path, `${this.path}.1`);
    }
    this.fh = await open(this.path, 'w', 0o640);
    const st = await this.fh.stat();
    this.ino = st.ino;
    this.size = 0;
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

/** The rotated files that exist, oldest first (`.N` … `.1`). */
export async function rotatedPaths(path: string, maxFiles: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = Math.max(maxFiles - 1, 1); i >= 1; i--) {
    if (await exists(`${path}.${i}`)) out.push(`${path}.${i}`);
  }
  return out;
}

async function recover(path: string, committed: WriterPosition | undefined): Promise<void> {
  const current = await stat(path).catch(() => undefined);
  if (!committed) {
    if (current) await truncate(path, 0);
    return;
  }
  if (current?.ino === committed.ino) {
    if (current.size > committed.size) await truncate(path, committed.size);
    return;
  }
  const previous = await stat(`${path}.1`).catch(() => undefined);
  if (previous?.ino === committed.ino) {
    // Killed between a rotation and its commit: `.1` is the committed file, the new one has nothing committed.
    if (previous.size > committed.size) await truncate(`${path}.1`, committed.size);
    if (current) await truncate(path, 0);
  }
}

async function renameIfPresent(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}
