/**
 * Walks the whole lines of a read and hands each record's parts to a visitor, without an
 * object per line: the format's locator finds the parts in place, the time is parsed once per
 * distinct stamp (conmon stamps every record of one read alike), and only lines the locator
 * leaves go through the format's full parser.
 */
import { bytesAt, type LogStream } from './format.ts';
import type { Located, LogFormat } from './formats.ts';
import { parseTimestamp } from './time.ts';

const NL = 0x0a;

/**
 * One record: its content is `src[from, to)`, `complete` when the line ended there, `offset`
 * where its line starts in the file. Returning false stops the scan before this record.
 */
export type RecordVisitor = (stream: LogStream, timeNs: bigint, src: Buffer, from: number, to: number, complete: boolean, offset: number) => boolean;

export class RecordScanner {
  private readonly at: Located = { stream: 'stdout', partial: false, timeStart: 0, timeEnd: 0, contentStart: 0, contentEnd: 0 };
  private stamp = Buffer.alloc(0);
  private stampNs = 0n;

  constructor(private readonly format: LogFormat, private readonly visit: RecordVisitor) {}

  /**
   * The lines of `buf[start, end)` (each with its newline), the first at file offset `offset`.
   * Returns where it stopped: `end`, or the start of the line whose record the visitor refused.
   */
  scan(buf: Buffer, start: number, end: number, offset: number): number {
    for (let pos = start; pos < end;) {
      const nl = buf.indexOf(NL, pos);
      if (!this.line(buf, pos, nl, offset + pos - start)) return pos;
      pos = nl + 1;
    }
    return end;
  }

  /** One line `buf[start, end)` without its newline; false when the visitor refused it. */
  line(buf: Buffer, start: number, end: number, offset: number): boolean {
    const { at } = this;
    const ns = this.format.locate(buf, start, end, at) ? this.timeOf(buf, at) : undefined;
    if (ns !== undefined) return this.visit(at.stream, ns, buf, at.contentStart, at.contentEnd, !at.partial, offset);
    const record = this.format.parse(buf.subarray(start, end));
    return record ? this.visit(record.stream, record.timeNs, record.content, 0, record.content.length, !record.partial, offset) : true;
  }

  private timeOf(buf: Buffer, at: Located): bigint | undefined {
    const { stamp } = this;
    if (at.timeEnd - at.timeStart === stamp.length && bytesAt(buf, at.timeStart, stamp)) return this.stampNs;
    const ns = parseTimestamp(buf.toString('latin1', at.timeStart, at.timeEnd));
    if (ns !== undefined) {
      this.stamp = Buffer.from(buf.subarray(at.timeStart, at.timeEnd));
      this.stampNs = ns;
    }
    return ns;
  }
}
