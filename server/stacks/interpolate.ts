/**
 * Compose's variable substitution in one string: `$VAR`, `${VAR}`, `${VAR:-default}`
 * (unset or empty), `${VAR-default}` (unset), `${VAR:?err}`/`${VAR?err}` (required),
 * `${VAR:+alt}`/`${VAR+alt}`, and `$$` for a literal `$`. Defaults may nest further
 * substitutions, as in compose.
 */
export class InterpolationError extends Error {
  override name = 'InterpolationError';
}

export type Environment = Readonly<Record<string, string | undefined>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(text: string, env: Environment): string {
  if (!text.includes('$')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) throw new InterpolationError(`invalid interpolation format for "${text}": missing closing brace`);
      out += braced(text.slice(i + 2, end), env, text);
      i = end + 1;
      continue;
    }
    const name = NAME.exec(text.slice(i + 1))?.[0];
    if (!name) throw new InterpolationError(`invalid interpolation format for "${text}": a "$" must be followed by a variable name or "$$"`);
    out += env[name] ?? '';
    i += 1 + name.length;
  }
  return out;
}

/** The index of the `}` closing a `${` opened just before `from`, nested braces counted. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function braced(inner: string, env: Environment, whole: string): string {
  const name = NAME.exec(inner)?.[0];
  if (!name) throw new InterpolationError(`invalid interpolation format for "${whole}": "\${${inner}}" names no variable`);
  const rest = inner.slice(name.length);
  const value = env[name];
  if (rest === '') return value ?? '';
  const op = /^(:?)([-?+])/.exec(rest);
  if (!op) throw new InterpolationError(`invalid interpolation format for "${whole}": unknown operator in "\${${inner}}"`);
  const [matched, colon, kind] = op;
  const arg = rest.slice(matched.length);
  // With the colon an empty value counts as unset.
  const set = colon ? value !== undefined && value !== '' : value !== undefined;
  if (kind === '-') return set ? value! : interpolate(arg, env);
  if (kind === '+') return set ? interpolate(arg, env) : '';
  if (set) return value!;
  const message = interpolate(arg, env);
  throw new InterpolationError(`required variable ${name} is missing a value${message ? `: ${message}` : ''}`);
}
