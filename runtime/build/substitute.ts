import { InvalidArgumentError } from '../errors.ts';

/**
 * Docker's variable substitution in instruction arguments: `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`; `\$` is a literal dollar and nothing inside
 * single quotes is replaced. Quotes are kept for the word splitter.
 */
export function substitute(s: string, vars: ReadonlyMap<string, string>): string {
  let out = '';
  let single = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'") { single = !single; out += c; continue; }
    if (c === '\\' && s[i + 1] === '$' && !single) { out += '\\$'; i++; continue; }
    if (c !== '$' || single) { out += c; continue; }
    if (s[i + 1] === '{') {
      const end = s.indexOf('}', i + 2);
      if (end < 0) throw new InvalidArgumentError(`missing '}' in: ${s}`);
      out += expand(s.slice(i + 2, end), vars);
      i = end;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i + 1));
    if (!m) { out += c; continue; }
    out += vars.get(m[0]) ?? '';
    i += m[0].length;
  }
  return out;
}

function expand(body: string, vars: ReadonlyMap<string, string>): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+])(.*))?$/s.exec(body);
  if (!m) throw new InvalidArgumentError(`bad substitution: \${${body}}`);
  const [, name, colon, op, word] = m;
  const v = vars.get(name!);
  if (!op) return v ?? '';
  const set = colon ? v !== undefined && v !== '' : v !== undefined;
  if (op === '-') return set ? v! : word!;
  return set ? word! : '';
}
