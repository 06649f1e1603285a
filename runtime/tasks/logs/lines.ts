/**
 * Splits a forward byte stream into newline-terminated lines with their file offsets.
 * The bytes after the last newline are a torn line (conmon may be mid-write) and are held back
 * until their newline arrives, so a reader never sees half a record.
 */

const NL = 0x0a;

/** Lines longer than this cannot come from conmon; they are dropped to keep memory bounded. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

export interface Line {
  /** The line without its newline. A view into the pushed chunk (or a joined copy). */
  bytes: Buffer;
  /** File offset of the line's first byte. */
  offset: number;
}

export class LineSplitter {
  private parts: Buffer[] = [];
  private partsLen = 0;
  /** Inside an oversized line: discard up to and including its newline. */
  private skipping = false;
  private next: number;

  constructor(offset = 0) {
    this.next = offset;
  }

  /** Bytes of the held-back torn line. */
  get pending(): number {
    return this.partsLen;
  }

  /** File offset of the first byte not yet returned as part of a line. */
  get offset(): number {
    return this.next;
  }

  reset(offset: number): void {
    this.parts = [];
    this.partsLen = 0;
    this.skipping = false;
    this.next = offset;
  }

  /**
   * Splits the next chunk without a Line per line (readers scan the chunk themselves): the line
   * a held-back piece completes (joined), then the span [start, end) of `chunk` holding whole
   * lines, each with its newline, which begins at file offset `offset`.
   */
  span(chunk: Buffer): { joined: Line | undefined; start: number; end: number; offset: number } {
    const last = chunk.lastIndexOf(NL);
    if (last < 0) {
      this.hold(chunk);
      return { joined: undefined, start: 0, end: 0, offset: this.next };
    }
    let joined: Line | undefined;
    let start = 0;
    if (this.skipping || this.partsLen > 0) {
      const first = chunk.indexOf(NL);
      if (!this.skipping) joined = { bytes: Buffer.concat([...this.parts, chunk.subarray(0, first)]), offset: this.next };
      this.skipping = false;
      this.next += this.partsLen + first + 1;
      this.parts = [];
      this.partsLen = 0;
      start = first + 1;
    }
    const offset = this.next;
    this.next += last + 1 - start;
    if (last + 1 < chunk.length) this.hold(chunk.subarray(last + 1));
    return { joined, start, end: last + 1, offset };
  }

  private hold(piece: Buffer): void {
    this.partsLen += piece.length;
    if (this.skipping) return;
    // Copy so the held piece does not pin the whole read buffer it came from.
    this.parts.push(Buffer.from(piece));
    if (this.partsLen > MAX_LINE_BYTES) {
      this.skipping = true;
      this.parts = [];
    }
  }
}
