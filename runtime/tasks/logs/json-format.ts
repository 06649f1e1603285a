/**
 * Docker's json-file log format: one JSON object per line,
 *
 *   {"log":"hello\n","stream":"stdout","time":"2026-12-02T21:24:36.123456789Z"}
 *
 * `log` holds the bytes of one message; a complete line keeps its `\n`, a partial message
 * (dockerd splits lines longer than its read buffer) has none and the next message of the same
 * stream continues it. `time` is UTC in Go's RFC3339Nano (trailing zeros of the fraction
 * dropped). Strings are escaped as Go's encoder does (`<`, `>`, `&`, U+2028 and U+2029 as
 * `\uXXXX`, invalid UTF-8 as U+FFFD), so files read like the ones dockerd writes.
 */
import type { LogRecord, LogStream } from './format.ts';
import { parseTimestamp } from './time.ts';

const NS_PER_SEC = 1_000_000_000n;
const GO_ESCAPES = /[<>&\u2028\u2029]/g;
const GO_ESCAPE = /[<>&\u2028\u2029]/;
const escapeGo = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Go's RFC3339Nano in UTC: the fraction without trailing zeros, none at all when zero. */
export function formatRFC3339Nano(ns: bigint): string {
  let sec = ns / NS_PER_SEC;
  let frac = ns % NS_PER_SEC;
  if (frac < 0n) { frac += NS_PER_SEC; sec -= 1n; }
  const iso = new Date(Number(sec) * 1000).toISOString();
  const digits = frac.toString().padStart(9, '0').replace(/0+$/, '');
  return `${iso.slice(0, iso.indexOf('.'))}${digits ? `.${digits}` : ''}Z`;
}

/** One json-file line, newline included, for a message of `stream` (a complete line ends with `\n`). */
export function encodeJsonEntry(stream: LogStream, timeNs: bigint, message: Buffer): Buffer {
  return Buffer.from(jsonEntryText(stream, timeNs, message, false), 'utf8');
}

/**
 * The same line as text; `newline` appends `\n` to the message (a complete line whose newline
 * is not in `message`). Through JSON's encoder: plain messages take writePlainEntry instead.
 */
export function jsonEntryText(stream: LogStream, timeNs: bigint, message: Buffer, newline: boolean): string {
  let log = JSON.stringify(newline ? `${message.toString('utf8')}\n` : message.toString('utf8'));
  if (GO_ESCAPE.test(log)) log = log.replace(GO_ESCAPES, escapeGo);
  return `{"log":${log},"stream":"${stream}","time":"${formatRFC3339Nano(timeNs)}"}\n`;
}

/** Bytes JSON and Go's encoder leave alone: printable ASCII but `"`, `\\`, `<`, `>` and `&`. */
const PLAIN_BYTE = new Uint8Array(256);
for (let b = 0x20; b < 0x7f; b++) PLAIN_BYTE[b] = 1;
for (const c of '"\\<>&') PLAIN_BYTE[c.charCodeAt(0)] = 0;
const HEAD = Buffer.from('{"log":"');
let suffixNs = -1n;
let suffixStream: LogStream = 'stdout';
let suffix = Buffer.alloc(0);

/** The most bytes `writePlainEntry` adds beyond the message. */
export const ENTRY_OVERHEAD = 128;

/**
 * The same line written straight into `out` at `at` from the message `src[from, to)`, when the
 * message is plain (as nearly all output is): no string per line. Returns where the line ends,
 * or -1 when the message needs escaping (use `jsonEntryText`); `out` must have room for the
 * message and ENTRY_OVERHEAD.
 */
export function writePlainEntry(out: Buffer, at: number, stream: LogStream, timeNs: bigint, src: Buffer, from: number, to: number, newline: boolean): number {
  for (let i = 0; i < HEAD.length; i++) out[at++] = HEAD[i]!;
  for (let i = from; i < to; i++) {
    const b = src[i]!;
    if (PLAIN_BYTE[b] === 0) return -1;
    out[at++] = b;
  }
  if (newline) {
    out[at++] = 0x5c;
    out[at++] = 0x6e;
  }
  if (timeNs !== suffixNs || stream !== suffixStream) {
    suffix = Buffer.from(`","stream":"${stream}","time":"${formatRFC3339Nano(timeNs)}"}\n`, 'latin1');
    suffixNs = timeNs;
    suffixStream = stream;
  }
  for (let i = 0; i < suffix.length; i++) out[at++] = suffix[i]!;
  return at;
}

interface JsonEntry { log?: unknown; stream?: unknown; time?: unknown }

/**
 * Parse one json-file line (without its newline) into the record shape the readers share:
 * `content` without the line's `\n`, `partial` when the message had none. Lines that are not
 * entries (a torn write, foreign text) read as undefined and are skipped.
 */
export function parseJsonRecord(line: Buffer): LogRecord | undefined {
  let entry: JsonEntry;
  try {
    entry = JSON.parse(line.toString('utf8')) as JsonEntry;
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { log, stream, time } = entry;
  if (typeof log !== 'string' || typeof time !== 'string') return undefined;
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const timeNs = parseTimestamp(time);
  if (timeNs === undefined) return undefined;
  const partial = !log.endsWith('\n');
  return { time, timeNs, stream, partial, content: Buffer.from(partial ? log : log.slice(0, -1), 'utf8') };
}
