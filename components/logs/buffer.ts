import type { LogLine } from '@/server/protocol/index.ts';
import { hasControls, isPlain, parseAnsi, stripAnsi, type AnsiStyle } from './ansi.ts';

export interface LogEntry {
  /** Position in the stream since the buffer was last cleared; keys rows and search hits. */
  seq: number;
  stream: LogLine['stream'];
  time: string;
  text: string;
  /** The text without escape sequences, for search; same string when there were none. */
  plain: string;
  /** The ANSI style in effect at the start of the line, when a previous line left one open. */
  start?: AnsiStyle;
}

export const DEFAULT_CAPACITY = 100_000;

/**
 * The last `capacity` log lines in a ring. A container that prints a million lines keeps
 * memory bounded: older lines are dropped (and counted) as new ones arrive.
 */
export class LogBuffer {
  private readonly ring: (LogEntry | undefined)[];
  private head = 0;
  size = 0;
  /** Lines ever appended; `firstSeq` = received - size. */
  received = 0;
  /** Per stream, the style the last line left open. */
  private carry: Record<LogLine['stream'], AnsiStyle> = { stdout: {}, stderr: {} };

  constructor(readonly capacity = DEFAULT_CAPACITY) {
    this.ring = new Array(capacity);
  }

  get firstSeq(): number {
    return this.received - this.size;
  }

  get dropped(): number {
    return this.received - this.size;
  }

  append(lines: LogLine[]): void {
    for (const line of lines) {
      let start: AnsiStyle | undefined;
      let plain = line.text;
      const carried = this.carry[line.stream];
      if (!isPlain(carried)) start = carried;
      if (hasControls(line.text)) {
        this.carry[line.stream] = parseAnsi(line.text, carried).end;
        plain = stripAnsi(line.text);
      }
      const entry: LogEntry = { seq: this.received, stream: line.stream, time: line.time, text: line.text, plain, start };
      this.ring[(this.head + this.size) % this.capacity] = entry;
      if (this.size < this.capacity) this.size += 1;
      else this.head = (this.head + 1) % this.capacity;
      this.received += 1;
    }
  }

  /** The line with sequence number `seq`, if still in the buffer. */
  bySeq(seq: number): LogEntry | undefined {
    const offset = seq - this.firstSeq;
    if (offset < 0 || offset >= this.size) return undefined;
    return this.ring[(this.head + offset) % this.capacity];
  }

  at(index: number): LogEntry | undefined {
    return index < 0 || index >= this.size ? undefined : this.ring[(this.head + index) % this.capacity];
  }

  last(): LogEntry | undefined {
    return this.at(this.size - 1);
  }

  /** Sequence numbers of lines (from `fromSeq` on) whose text contains `needle` (lower-case). */
  search(needle: string, fromSeq = this.firstSeq): number[] {
    const out: number[] = [];
    for (let seq = Math.max(fromSeq, this.firstSeq); seq < this.received; seq++) {
      if (this.bySeq(seq)!.plain.toLowerCase().includes(needle)) out.push(seq);
    }
    return out;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.size = 0;
    this.received = 0;
    this.carry = { stdout: {}, stderr: {} };
  }
}
