import { RE2JS, RE2JSSyntaxException } from 're2js';
import { badRequest } from './errors.ts';

/** Longer patterns are no filter anyone types; refusing them keeps compiling cheap too. */
const MAX_PATTERN = 1024;

/**
 * Docker's filters are Go regular expressions, which run in linear time (RE2). JavaScript's
 * RegExp backtracks, so one crafted pattern could hold the event loop for minutes: every
 * user-supplied pattern goes through RE2JS, a linear-time port of RE2, instead.
 */
export function compileGoRegexp(filter: string, pattern: string): RE2JS {
  if (pattern.length > MAX_PATTERN) throw badRequest(`invalid filter '${filter}': pattern longer than ${MAX_PATTERN} characters`);
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    if (e instanceof RE2JSSyntaxException) throw badRequest(`invalid filter '${filter}=${pattern}': ${e.message}`);
    throw e;
  }
}

/**
 * Docker's filters.Match for one filter: a value equal to the source, or a pattern found in it.
 * Every pattern is compiled once, before any row is looked at, so a bad one is a 400 even
 * when nothing would have been compared.
 */
export function regexpFilter(filter: string, values: readonly string[] | undefined): (source: string) => boolean {
  if (!values || values.length === 0) return () => true;
  const compiled = values.map((v) => ({ v, re: compileGoRegexp(filter, v) }));
  return (source) => compiled.some(({ v, re }) => v === source || re.matcher(source).find());
}
