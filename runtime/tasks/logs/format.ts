/**
 * The k8s-file (CRI) log record that conmon writes for every line of container output:
 *
 *   <RFC3339Nano timestamp> <stdout|stderr> <F|P> <content>\n
 *
 * `F` means the process wrote a newline after the content (conmon keeps that newline as the
 * record terminator); `P` means the read ended mid-line and the next record of the same stream
 * continues it (conmon adds the terminator itself). Content is raw bytes and never contains
 * `\n`, so a record is exactly one line of the file.
 */
import { parseTimestamp } from './time.ts';

export type LogStream = 'stdout' | 'stderr';

export interface LogRecord {
  /** The timestamp exactly as written (local time with a numeric offset for conmon). */
  time: string;
  timeNs: bigint;
  stream: LogStream;
  partial: boolean;
  content: Buffer;
}

const SP = 0x20;
const NL = 0x0a;
const COLON = 0x3a;
const TAG_F = 0x46;
const TAG_P = 0x50;

/**
 * Parse one record line, without its terminating newline. Returns undefined for a line that is
 * not a record (a torn write, a foreign line) so readers can skip it rather than fail.
 * `content` is a view into `line`, not a copy.
 */
export function parseRecord(line: Buffer): LogRecord | undefined {
  const tsEnd = line.indexOf(SP);
  if (tsEnd <= 0) return undefined;
  const streamEnd = line.indexOf(SP, tsEnd + 1);
  if (streamEnd < 0) return undefined;
  const stream = line.toString('latin1', tsEnd + 1, streamEnd);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const tag = line[streamEnd + 1];
  if (tag !== TAG_F && tag !== TAG_P) return undefined;
  // The CRI format allows further ':'-separated tags after the first; only F/P matters here.
  let contentStart: number;
  const after = line[streamEnd + 2];
  if (after === undefined) contentStart = line.length;
  else if (after === SP) contentStart = streamEnd + 3;
  else if (after === COLON) {
    const sp = line.indexOf(SP, streamEnd + 2);
    contentStart = sp < 0 ? line.length : sp + 1;
  } else return undefined;
  const time = line.toString('latin1', 0, tsEnd);
  const timeNs = parseTimestamp(time);
  if (timeNs === undefined) return undefined;
  return { time, timeNs, stream, partial: tag === TAG_P, content: line.subarray(contentStart) };
}

/** One record line, newline included. */
export function encodeRecord(time: string, stream: LogStream, partial: boolean, content: Buffer): Buffer {
  if (content.includes(NL)) throw new RangeError('log record content must not contain a newline');
  const head = Buffer.from(`${time} ${stream} ${partial ? 'P' : 'F'} `, 'latin1');
  return Buffer.concat([head, content, Buffer.of(NL)]);
}

/**
 * The records conmon writes for one read of `data` from a container's stream: one `F` record
 * per newline-terminated line and a `P` record for a trailing piece without a newline.
 */
export function encodeWrite(time: string, stream: LogStream, data: Buffer): Buffer {
  const out: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    const nl = data.indexOf(NL, start);
    const end = nl < 0 ? data.length : nl;
    out.push(encodeRecord(time, stream, nl < 0, data.subarray(start, end)));
    start = end + 1;
  }
  return Buffer.concat(out);
}
