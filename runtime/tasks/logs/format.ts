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

export const SP = 0x20;
const NL = 0x0a;
const COLON = 0x3a;
export const TAG_F = 0x46;
export const TAG_P = 0x50;

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
  const stream = streamAt(line, tsEnd + 1, streamEnd);
  if (!stream) return undefined;
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
  const stamp = timestampAt(line, tsEnd);
  if (!stamp) return undefined;
  return { time: stamp.time, timeNs: stamp.ns, stream, partial: tag === TAG_P, content: line.subarray(contentStart) };
}

const STDOUT = Buffer.from('stdout');
const STDERR = Buffer.from('stderr');

/**
 * Whether `line` holds `ref` at `start`. A plain loop: Buffer#compare with offsets validates
 * its arguments on every call, which cost more than the comparison at a million records.
 */
export function bytesAt(line: Buffer, start: number, ref: Buffer): boolean {
  if (start < 0 || start + ref.length > line.length) return false;
  for (let i = 0; i < ref.length; i++) if (line[start + i] !== ref[i]) return false;
  return true;
}

/** The stream name at [start, end), compared as bytes: no string per record. */
export function streamAt(line: Buffer, start: number, end: number): LogStream | undefined {
  if (end - start !== 6) return undefined;
  if (bytesAt(line, start, STDOUT)) return 'stdout';
  if (bytesAt(line, start, STDERR)) return 'stderr';
  return undefined;
}

/**
 * conmon stamps every record of one read alike, so a log of a million lines holds far fewer
 * distinct stamps: the last one parsed is kept, and a record with the same bytes reuses it.
 */
let lastStamp: { bytes: Buffer; time: string; ns: bigint } | undefined;

function timestampAt(line: Buffer, end: number): { time: string; ns: bigint } | undefined {
  if (lastStamp && lastStamp.bytes.length === end && bytesAt(line, 0, lastStamp.bytes)) return lastStamp;
  const time = line.toString('latin1', 0, end);
  const ns = parseTimestamp(time);
  if (ns === undefined) return undefined;
  lastStamp = { bytes: Buffer.from(line.subarray(0, end)), time, ns };
  return lastStamp;
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
