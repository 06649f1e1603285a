/**
 * Reads a log file forward from an offset, one bounded chunk at a time, turning wanted records
 * into output chunks. Memory stays bounded by the read size whatever the file size.
 *
 * Each read is scanned in place (scanner.ts) and the wanted content copied straight into the
 * output chunks (chunk-builder.ts).
 */
import { ChunkBuilder } from './chunk-builder.ts';
import { READ_CHUNK, type LogFile } from './file.ts';
import { judge, type RecordFilter } from './filter.ts';
import type { LogStream } from './format.ts';
import { LineSplitter } from './lines.ts';
import { RecordScanner } from './scanner.ts';

export interface LogChunk {
  stream: LogStream;
  timeNs: bigint;
  /** UTC RFC 3339 with nine fractional digits, as `docker logs --timestamps` prints. */
  time: string;
  /** The bytes exactly as the process wrote them; a complete line ends with its `\n`. */
  data: Buffer;
}

export class Cursor {
  /** Set once the read went past `until` (or past the end of a non-follow read). */
  ended = false;
  private position: number;
  private readonly splitter: LineSplitter;
  private readonly scanner: RecordScanner;
  private buffer: Buffer | undefined;
  /** The chunks of the read under way. */
  private out = new ChunkBuilder(0, false);

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
    this.scanner = new RecordScanner(file.format, this.take.bind(this));
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
    // Nothing handed out points into the read buffer (content is copied into the chunks, a
    // held-back torn line is copied by the splitter), so one serves every read.
    this.buffer ??= Buffer.allocUnsafe(READ_CHUNK);
    const buf = await this.file.readAt(this.position, READ_CHUNK, this.buffer);
    if (buf.length === 0) return null;
    this.position += buf.length;
    const { joined, start, end, offset } = this.splitter.span(buf);
    this.out = new ChunkBuilder(end - start + (joined ? joined.bytes.length + 1 : 0), this.merge);
    if (joined) this.scanner.line(joined.bytes, 0, joined.bytes.length, joined.offset);
    if (!this.ended && end > start) this.scanner.scan(buf, start, end, offset);
    return this.out.finish();
  }

  private take(stream: LogStream, timeNs: bigint, src: Buffer, from: number, to: number, complete: boolean, offset: number): boolean {
    if (offset >= this.end) {
      this.ended = true;
      return false;
    }
    const verdict = judge(this.filter, stream, timeNs);
    if (verdict === 'after') {
      this.ended = true;
      return false;
    }
    if (verdict === 'take' && offset >= this.cutoff[stream]) this.out.add(stream, timeNs, src, from, to, complete);
    return true;
  }
}
