/**
 * Binary search of a log file by timestamp. Records are appended in time order, so the first
 * record at or after `since` can be found by probing a few offsets instead of reading from
 * the start. The result is a lower bound: every record before it is older than `since`; the
 * forward reader still filters the few older records between it and the first match.
 */
import { READ_CHUNK, type LogFile } from './file.ts';

/** conmon's records are at most its 8 KiB read buffer plus the header, so one probe finds a boundary. */
const PROBE = 16 * 1024;
const NL = 0x0a;

export async function findSince(file: LogFile, sinceNs: bigint): Promise<number> {
  let lo = 0;
  let hi = file.size;
  while (hi - lo > READ_CHUNK) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const probe = await recordAfter(file, mid, hi);
    if (!probe) {
      // No readable record starts in [mid, hi): narrowing to [lo, mid) keeps lo a valid bound.
      hi = mid;
    } else if (probe.timeNs < sinceNs) {
      lo = probe.offset;
    } else {
      hi = probe.offset;
    }
  }
  return lo;
}

/** The first record starting at or after `from` (and before `limit`), with its timestamp. */
async function recordAfter(file: LogFile, from: number, limit: number): Promise<{ offset: number; timeNs: bigint } | undefined> {
  const buf = await file.readAt(from - 1, PROBE);
  const nl = buf.indexOf(NL);
  // Zeros are the converted head of a json-file container's ctr.log, given back to the
  // filesystem (json-converter.ts): older than anything after them.
  if (nl < 0) return buf.length > 0 && isZero(buf) ? { offset: from, timeNs: -1n } : undefined;
  const offset = from + nl;
  if (offset >= limit) return undefined;
  let end = buf.indexOf(NL, nl + 1);
  let line: Buffer;
  if (end >= 0) {
    line = buf.subarray(nl + 1, end);
  } else {
    // Only the header is needed; a long record's content can be cut off.
    const more = await file.readAt(offset, 256);
    end = more.indexOf(NL);
    line = end >= 0 ? more.subarray(0, end) : more;
  }
  const record = file.parse(line);
  return record ? { offset, timeNs: record.timeNs } : undefined;
}

function isZero(buf: Buffer): boolean {
  return buf[0] === 0 && buf[buf.length - 1] === 0 && buf.every((b) => b === 0);
}
