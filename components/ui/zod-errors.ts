import type { ZodError } from 'zod';

/** Field path → first message, e.g. `{ 'env.2.key': 'must not be empty' }`. */
export type FieldErrors = Record<string, string>;

export function fieldErrors(error: ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.join('.') || '_form';
    out[path] ??= issue.message;
  }
  return out;
}
