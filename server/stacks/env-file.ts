/**
 * A `.env` or `env_file` as compose reads it: `KEY=VALUE` lines, `#` comments, an optional
 * `export ` prefix, single quotes literal, double quotes with `\n` escapes, inline comments
 * after unquoted values.
 */
export class EnvFileError extends Error {
  override name = 'EnvFileError';
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const body = line.startsWith('export ') ? line.slice(7).trimStart() : line;
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw new EnvFileError(`line ${index + 1}: "${key}" is not a variable name`, index + 1);
    if (eq < 0) continue;
    out[key] = value(body.slice(eq + 1).trim());
  }
  return out;
}

function value(v: string): string {
  if (v.startsWith("'")) {
    const end = v.indexOf("'", 1);
    return end < 0 ? v.slice(1) : v.slice(1, end);
  }
  if (v.startsWith('"')) {
    let out = '';
    for (let i = 1; i < v.length; i++) {
      const c = v[i]!;
      if (c === '"') break;
      if (c === '\\' && i + 1 < v.length) {
        const n = v[++i]!;
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
      } else out += c;
    }
    return out;
  }
  const comment = v.search(/\s#/);
  return (comment < 0 ? v : v.slice(0, comment)).trimEnd();
}
