import { badRequest } from '../errors.ts';

/** `[height, width]`, both non-negative integers, or undefined when absent. */
export function parseConsoleSize(v: unknown, field: string): [number, number] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => Number.isInteger(n) && n >= 0)) {
    throw badRequest(`${field}: must be [height, width]`);
  }
  return [v[0] as number, v[1] as number];
}
