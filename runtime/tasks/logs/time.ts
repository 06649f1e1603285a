/**
 * Timestamps of the k8s-file log format. conmon writes local time with a numeric offset
 * (`2026-11-23T12:00:00.123456789+01:00`); Docker prints UTC with a fixed nine-digit
 * fraction (`RFC3339NanoFixed`). Both are handled as nanoseconds since the epoch so that
 * filtering never goes through a lossy float.
 */

const RFC3339 = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/;
const NS_PER_SEC = 1_000_000_000n;
const NS_PER_MS = 1_000_000n;

/** Nanoseconds since the epoch for an RFC 3339 timestamp, or undefined when it is not one. */
export function parseTimestamp(text: string): bigint | undefined {
  // conmon stamps every record of one read alike: consecutive records mostly repeat the last.
  if (text === last.text) return last.ns;
  const ns = parse(text);
  if (ns !== undefined) last = { text, ns };
  return ns;
}

let last: { text: string; ns: bigint } = { text: '', ns: 0n };

function parse(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  let ns = BigInt(ms) * NS_PER_MS + (frac ? BigInt(frac.padEnd(9, '0')) : 0n);
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone!.startsWith('-') ? -1n : 1n;
    const offsetMin = BigInt(Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(4, 6)));
    ns -= sign * offsetMin * 60n * NS_PER_SEC;
  }
  return ns;
}

/** UTC, nine fractional digits and `Z`, as `docker logs --timestamps` prints. */
export function formatTimestamp(ns: bigint): string {
  let sec = ns / NS_PER_SEC;
  let frac = ns % NS_PER_SEC;
  if (frac < 0n) { frac += NS_PER_SEC; sec -= 1n; }
  const iso = new Date(Number(sec) * 1000).toISOString();
  return `${iso.slice(0, iso.indexOf('.'))}.${frac.toString().padStart(9, '0')}Z`;
}

/** Current wall-clock time in nanoseconds since the epoch (millisecond resolution). */
export function nowNs(): bigint {
  return BigInt(Date.now()) * NS_PER_MS;
}
