/**
 * The two log file formats readers understand, each as a full parser and a locator.
 *
 * The parser builds a record from one line. The locator only finds where a line's parts lie in
 * the read and allocates nothing: a reader of a million lines scans its reads with the locator
 * and copies content bytes straight out, and calls the parser only for lines the locator leaves to it
 * (escapes in a json-file message, extra CRI tags, anything malformed).
 */
import { SP, TAG_F, TAG_P, bytesAt, parseRecord, streamAt, type LogRecord, type LogStream } from './format.ts';
import { parseJsonRecord } from './json-format.ts';

export type RecordParser = (line: Buffer) => LogRecord | undefined;

/** Where one record's parts lie, written by a locator into an object the reader reuses. */
export interface Located {
  stream: LogStream;
  partial: boolean;
  timeStart: number;
  timeEnd: number;
  contentStart: number;
  contentEnd: number;
}

/** Fills `at` for the line [start, end) of `buf` (end is its newline), or returns false: parse it instead. */
export type RecordLocator = (buf: Buffer, start: number, end: number, at: Located) => boolean;

export interface LogFormat {
  parse: RecordParser;
  locate: RecordLocator;
}

const QUOTE = 0x22;
const BRACE = 0x7d;
const BACKSLASH = 0x5c;
const LETTER_N = 0x6e;

/** conmon's k8s-file: `<time> <stream> <F|P> <content>` (format.ts). */
function locateK8s(buf: Buffer, start: number, end: number, at: Located): boolean {
  const tsEnd = buf.indexOf(SP, start);
  if (tsEnd <= start || tsEnd + 9 > end) return false;
  if (!streamInto(buf, tsEnd + 1, at) || buf[tsEnd + 7] !== SP) return false;
  const tag = buf[tsEnd + 8];
  if (tag !== TAG_F && tag !== TAG_P) return false;
  const after = tsEnd + 9;
  // Further `:`-separated CRI tags are rare: the parser handles them.
  if (after < end && buf[after] !== SP) return false;
  at.partial = tag === TAG_P;
  at.timeStart = start;
  at.timeEnd = tsEnd;
  at.contentStart = after < end ? after + 1 : end;
  at.contentEnd = end;
  return true;
}

const HEAD = Buffer.from('{"log":"');
const STREAM = Buffer.from('","stream":"');
const TIME = Buffer.from('","time":"');

/**
 * Docker's json-file entry in its fixed field order (json-format.ts) whose message has no
 * escape but its final `\n`: the lines this engine writes for plain output.
 */
function locateJson(buf: Buffer, start: number, end: number, at: Located): boolean {
  if (!bytesAt(buf, start, HEAD) || buf[end - 1] !== BRACE || buf[end - 2] !== QUOTE) return false;
  // From the end: the time (which holds no quote), then the fixed `","stream":"stdxxx","time":"`.
  let timeStart = end - 3;
  while (timeStart > start && buf[timeStart - 1] !== QUOTE) timeStart--;
  const s = timeStart - TIME.length - 6 - STREAM.length;
  if (s < start + HEAD.length - 1 || !bytesAt(buf, timeStart - TIME.length, TIME)) return false;
  if (!streamInto(buf, s + STREAM.length, at) || !bytesAt(buf, s, STREAM)) return false;
  const contentStart = start + HEAD.length;
  const complete = s - 2 >= contentStart && buf[s - 2] === BACKSLASH && buf[s - 1] === LETTER_N;
  const contentEnd = complete ? s - 2 : s;
  for (let i = contentStart; i < contentEnd; i++) if (buf[i] === BACKSLASH) return false;
  at.partial = !complete;
  at.timeStart = timeStart;
  at.timeEnd = end - 2;
  at.contentStart = contentStart;
  at.contentEnd = contentEnd;
  return true;
}

/** The stream name at `start` into `at`. */
function streamInto(buf: Buffer, start: number, at: Located): boolean {
  const stream = streamAt(buf, start, start + 6);
  if (stream) at.stream = stream;
  return stream !== undefined;
}

export const K8S_FILE: LogFormat = { parse: parseRecord, locate: locateK8s };
export const JSON_FILE: LogFormat = { parse: parseJsonRecord, locate: locateJson };
