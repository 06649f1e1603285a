import { badRequest } from './errors.ts';

/**
 * Docker's `since`/`until` query values: unix seconds with an optional fraction
 * (`1700000000.123456789`), or RFC 3339. The CLI turns durations like `10m` into seconds.
 * Returns nanoseconds since the epoch.
 */
export function parseTimestampNs(value: string | null, field: string): bigint | undefined {
  if (value === null || value === '') return undefined;
  const m = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (m) return BigInt(m[1]!) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(`invalid value for ${field}: ${value}`);
  const frac = /\.(\d+)/.exec(value)?.[1] ?? '';
  return BigInt(Math.floor(ms / 1000)) * 1_000_000_000n + BigInt(frac.padEnd(9, '0').slice(0, 9) || '0');
}
