import { parseGoDuration } from '../../../runtime/index.ts';
import { badRequest } from '../errors.ts';
import { compileGoRegexp } from '../go-regexp.ts';
import { parseTimestampNs } from '../time.ts';

/**
 * Docker's filter semantics (api/types/filters), shared by the image, volume and network
 * lists and prunes.
 */

/** MatchKVList: every `key` is present and every `key=value` is equal. No values: matches. */
export function matchLabels(wanted: readonly string[] | undefined, labels: Record<string, string> | null | undefined): boolean {
  if (!wanted || wanted.length === 0) return true;
  const have = labels ?? {};
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    const key = eq < 0 ? w : w.slice(0, eq);
    if (!(key in have)) return false;
    return eq < 0 || have[key] === w.slice(eq + 1);
  });
}

/** Prune `label` (all must match) and `label!` (left out when all of those match), as Docker's matchLabels. */
export function pruneLabels(f: Map<string, string[]>): (labels: Record<string, string> | null | undefined) => boolean {
  const yes = f.get('label');
  const no = f.get('label!');
  return (labels) => matchLabels(yes, labels) && !(no && no.length > 0 && matchLabels(no, labels));
}

/** A boolean filter (`dangling=true`); undefined when absent. */
export function boolFilter(f: Map<string, string[]>, name: string): boolean | undefined {
  const values = f.get(name);
  if (!values || values.length === 0) return undefined;
  const v = values[0]!.toLowerCase();
  if (values.length > 1 || !['true', '1', 'false', '0'].includes(v)) throw badRequest(`invalid filter '${name}=${values.join(',')}'`);
  return v === 'true' || v === '1';
}

/**
 * An `until` value as unix milliseconds: a Go duration counts back from now (`24h`), otherwise
 * a unix timestamp or an RFC 3339 date.
 */
export function untilMs(f: Map<string, string[]>): number | undefined {
  const values = f.get('until');
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw badRequest('more than one until filter specified');
  const v = values[0]!;
  const d = parseGoDuration(v);
  if (d !== undefined) return Date.now() - d / 1e6;
  return Number(parseTimestampNs(v, 'until')! / 1_000_000n);
}

/** Go's path.Match: `*` and `?` stay within one path segment, `[...]` classes (`^` negates), `\` escapes. */
export function globMatch(pattern: string, s: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\') {
      if (i + 1 >= pattern.length) throw badRequest(`syntax error in pattern: ${pattern}`);
      re += escape(pattern[++i]!);
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw badRequest(`syntax error in pattern: ${pattern}`);
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\]\\^]/g, (c) => `\\${c}`)}]`;
      i = end;
    } else re += escape(ch);
  }
  // The glob's parts come from the user: matched in linear time like every user pattern.
  return compileGoRegexp('reference', `^${re}$`).matcher(s).matches();
}

function escape(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
