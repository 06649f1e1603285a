/**
 * Builds one read's output chunks in a single buffer: each wanted record's content is copied
 * in, and a chunk is a view of its run of records. With `merge`, consecutive records of one
 * stream share a chunk (carrying the first one's time), so a million short lines become a few
 * hundred chunks and as many writes to the client.
 */
import type { LogChunk } from './cursor.ts';
import type { LogStream } from './format.ts';
import { formatTimestamp } from './time.ts';

const NL = 0x0a;
/** Below this a byte loop copies faster than Buffer#copy, which builds a view per call. */
const SHORT = 48;

interface Run { stream: LogStream; timeNs: bigint; start: number; end: number }

export class ChunkBuilder {
  private out: Buffer;
  private used = 0;
  private readonly runs: Run[] = [];
  private open: Run | undefined;

  constructor(capacity: number, private readonly merge: boolean) {
    this.out = Buffer.allocUnsafe(Math.max(capacity, 64));
  }

  /** Appends `src[from, to)` as a record of `stream`, with its `\n` when `newline`. */
  add(stream: LogStream, timeNs: bigint, src: Buffer, from: number, to: number, newline: boolean): void {
    const length = to - from + (newline ? 1 : 0);
    if (this.used + length > this.out.length) this.grow(length);
    let run = this.open;
    if (!run || !this.merge || run.stream !== stream) {
      run = { stream, timeNs, start: this.used, end: this.used };
      this.runs.push(run);
      this.open = run;
    }
    const out = this.out;
    let at = this.used;
    if (to - from < SHORT) {
      for (let i = from; i < to; i++) out[at++] = src[i]!;
    } else at += src.copy(out, at, from, to);
    if (newline) out[at++] = NL;
    this.used = at;
    run.end = at;
  }

  /** The chunks, as views of a buffer no bigger than needed (a filtered read may keep little). */
  finish(): LogChunk[] {
    const out = this.used < this.out.length / 2 ? Buffer.from(this.out.subarray(0, this.used)) : this.out;
    return this.runs.map((r) => ({ stream: r.stream, timeNs: r.timeNs, time: stamp(r.timeNs), data: out.subarray(r.start, r.end) }));
  }

  private grow(length: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.used + length));
    this.out.copy(next, 0, 0, this.used);
    this.out = next;
  }
}

let lastNs = -1n;
let lastStamp = '';

/** conmon stamps every record of one read alike, so the last formatted time is mostly reused. */
function stamp(ns: bigint): string {
  if (ns !== lastNs) {
    lastNs = ns;
    lastStamp = formatTimestamp(ns);
  }
  return lastStamp;
}
