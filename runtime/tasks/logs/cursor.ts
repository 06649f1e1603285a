/**
 * Reads a log file forward from an offset, one bounded chunk at a time, turning wanted records
 * into output chunks. Memory stays bounded by the read size whatever the file size.
 */
import { READ_CHUNK, type LogFile } from './file.ts';
import { judge, type RecordFilter } from './filter.ts';
import type { LogStream } from './format.ts';
import { LineSplitter } from './lines.ts';
import { formatTimestamp } from './time.ts';

export interface LogChunk {
  stream: LogStream;
  timeNs: bigint;
  /** UTC RFC 3339 with nine fractional digits, as `docker logs --timestamps` prints. */
  time: string;
  /** The bytes exactly as the process wrote them; a complete line ends with its `\n`. */
  data: Buffer;
}

const NEWLINE = Buffer.of(0x0a);

export class Cursor {
  /** Set once the read went past `until` (or past the end of a non-follow read). */
  ended = false;
  private position: number;
  private readonly splitter: LineSplitter;
  private lastNs: bigint | undefined;
  private lastTime = '';

  /**
   * @param cutoff per stream, records before this offset are skipped (they are older than
   *   the requested tail)
   * @param end records starting at or after this offset are not read (Infinity when following)
   */
  constructor(
    readonly file: LogFile,
    start: number,
    private readonly filter: RecordFilter,
    private readonly cutoff: Record<LogStream, number> = { stdout: 0, stderr: 0 },
    private readonly end = Infinity,
    /** Consecutive records of one stream may share a chunk (with the first one's time). */
    private readonly merge = false,
  ) {
    this.position = start;
    this.splitter = new LineSplitter(start);
  }

  /** Offset up to which the file has been read (including a held-back torn record). */
  get offset(): number {
    return this.position;
  }

  /** Start again at the beginning of a file that was truncated. */
  rewind(): void {
    this.position = 0;
    this.splitter.reset(0);
    this.cutoff.stdout = 0;
    this.cutoff.stderr = 0;
  }

  /** The wanted chunks of the next read, or null at end of file (or once ended). */
  async next(): Promise<LogChunk[] | null> {
    if (this.ended) return null;
    if (this.position >= this.end && this.splitter.pending === 0) return null;
    const buf = await this.file.readAt(this.position, READ_CHUNK);
    if (buf.length === 0) return null;
    this.position += buf.length;
    const out: LogChunk[] = [];
    // The run of records going into the next chunk: one record, or with `merge` every
    // consecutive record of one stream in this read. Copied out by the concat, so a consumer
    // holding a chunk does not pin the whole read buffer.
    let run: Buffer[] = [];
    let head: Omit<LogChunk, 'data'> | undefined;
    const close = (): void => {
      if (head) out.push({ ...head, data: Buffer.concat(run) });
      run = [];
      head = undefined;
    };
    for (const line of this.splitter.push(buf)) {
      if (line.offset >= this.end) {
        this.ended = true;
        break;
      }
      const record = this.file.parse(line.bytes);
      if (!record) continue;
      const verdict = judge(this.filter, record);
      if (verdict === 'after') {
        this.ended = true;
        break;
      }
      if (verdict !== 'take' || line.offset < this.cutoff[record.stream]) continue;
      if (!head || !this.merge || head.stream !== record.stream) {
        close();
        head = { stream: record.stream, timeNs: record.timeNs, time: this.format(record.timeNs) };
      }
      run.push(record.content);
      if (!record.partial) run.push(NEWLINE);
    }
    close();
    return out;
  }

  /** conmon stamps every record of one read alike, so the last formatted time is reused. */
  private format(ns: bigint): string {
    if (ns !== this.lastNs) {
      this.lastNs = ns;
      this.lastTime = formatTimestamp(ns);
    }
    return this.lastTime;
  }
}
