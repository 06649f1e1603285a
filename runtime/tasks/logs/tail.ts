/**
 * Finds where the last N lines of a log begin by reading the file backwards in chunks, so
 * `tail` costs what the tail is, not what the file is.
 *
 * A line is a run of `P` records of one stream ended by its `F` record (Docker counts a joined
 * line once); a trailing `P` run with no `F` yet also counts as a line. Lines of stdout and
 * stderr interleave record by record, so the result is a cutoff per stream: a stream's records
 * at or after its cutoff belong to the last N lines, earlier ones to older lines.
 */
import { READ_CHUNK, type LogFile } from './file.ts';
import { judge, type RecordFilter } from './filter.ts';
import type { LogStream } from './format.ts';
import type { RecordParser } from './formats.ts';
import { MAX_LINE_BYTES } from './lines.ts';

export interface TailStart {
  /** Where the forward read begins: the earliest record of the last N lines. */
  start: number;
  /** Per stream, the offset of its earliest record among the last N lines. */
  cutoff: Record<LogStream, number>;
  /** Lines counted; fewer than asked when the file holds fewer (older files may hold the rest). */
  count: number;
  /** The scan stopped for a reason other than the file's start (enough lines, or `since`). */
  done: boolean;
}

/**
 * Once N lines are counted, how much further back the scan looks for the `P` head of a counted
 * line. A line's pieces are written moments apart, so they sit close together in the file; the
 * bound keeps a stream that went quiet long ago from forcing a scan of the whole file.
 */
const LOOKBACK = 256 * 1024;
const NL = 0x0a;
const EMPTY: Buffer = Buffer.alloc(0);

export async function findTailStart(file: LogFile, lines: number, filter: RecordFilter): Promise<TailStart> {
  const counter = new TailCounter(lines, filter, file.format.parse);
  let pos = file.size;
  let rest = EMPTY;
  let skipping = false;
  while (pos > 0 && !counter.done) {
    const len = Math.min(READ_CHUNK, pos);
    pos -= len;
    const chunk = await file.readAt(pos, len);
    // The file shrank under us (truncated): no tail position is meaningful, read it all.
    if (chunk.length < len) return { start: 0, cutoff: { stdout: 0, stderr: 0 }, count: 0, done: true };
    const buf = rest.length ? Buffer.concat([chunk, rest]) : chunk;
    let end = buf.length;
    if (skipping) {
      const nl = buf.lastIndexOf(NL);
      if (nl < 0) continue;
      skipping = false;
      end = nl + 1;
    }
    if (counter.scanEnd === undefined) {
      // Bytes after the last newline are a torn record still being written.
      const nl = end > 0 ? buf.lastIndexOf(NL, end - 1) : -1;
      if (nl >= 0) {
        counter.scanEnd = pos + nl + 1;
        end = nl + 1;
      }
    }
    if (counter.scanEnd !== undefined) {
      while (end > 0 && !counter.done) {
        const prev = end >= 2 ? buf.lastIndexOf(NL, end - 2) : -1;
        if (prev < 0 && pos > 0) break;
        counter.see(buf.subarray(prev + 1, end - 1), pos + prev + 1);
        end = prev + 1;
      }
    }
    rest = buf.subarray(0, end);
    if (rest.length > MAX_LINE_BYTES) {
      rest = EMPTY;
      skipping = true;
    }
  }
  return counter.result();
}

class TailCounter {
  /** Just past the last complete record when the scan began. */
  scanEnd: number | undefined;
  done = false;
  private count = 0;
  private fullAt: number | undefined;
  /** The stream's newest counted line may still have older `P` records. */
  private readonly open: Record<LogStream, boolean> = { stdout: false, stderr: false };
  /** Everything older of this stream belongs to lines beyond the Nth. */
  private readonly closed: Record<LogStream, boolean> = { stdout: false, stderr: false };
  private readonly cutoff: Record<LogStream, number> = { stdout: Infinity, stderr: Infinity };

  constructor(private readonly want: number, private readonly filter: RecordFilter, private readonly parse: RecordParser) {}

  see(line: Buffer, offset: number): void {
    if (this.count >= this.want) {
      const noneOpen = !this.open.stdout && !this.open.stderr;
      if (noneOpen || (this.fullAt !== undefined && this.fullAt - offset > LOOKBACK)) {
        this.done = true;
        return;
      }
    }
    const record = this.parse(line);
    if (!record) return;
    const verdict = judge(this.filter, record.stream, record.timeNs);
    if (verdict === 'before') {
      this.done = true;
      return;
    }
    if (verdict !== 'take') return;
    const s = record.stream;
    if (this.closed[s]) return;
    if (record.partial && this.open[s]) {
      this.cutoff[s] = offset;
    } else if (this.count < this.want) {
      // An F ends the line before the open one (which is now complete); a P with nothing
      // open is an unterminated last line.
      this.count++;
      this.open[s] = true;
      this.cutoff[s] = offset;
      if (this.count === this.want) this.fullAt = offset;
    } else {
      this.open[s] = false;
      this.closed[s] = true;
    }
  }

  result(): TailStart {
    const end = this.scanEnd ?? 0;
    const cutoff = { stdout: Math.min(this.cutoff.stdout, end), stderr: Math.min(this.cutoff.stderr, end) };
    return { start: Math.min(cutoff.stdout, cutoff.stderr), cutoff, count: this.count, done: this.done || this.count >= this.want };
  }
}
