/**
 * Splits a command line the way a POSIX shell splits words (quotes and backslashes, no
 * expansion), so `sh -c "echo hi"` becomes ["sh", "-c", "echo hi"]. A JSON array is taken as is.
 */
export function shellWords(input: string): string[] {
  const text = input.trim();
  if (text === '') return [];
  if (text.startsWith('[')) {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) throw new Error('a JSON command must be an array of strings');
    return parsed;
  }
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

/** The inverse, for showing an existing command in the form. */
export function joinWords(words: string[] | null | undefined): string {
  return (words ?? []).map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** KEY=VALUE lines of a .env file: comments, blank lines and `export ` are skipped, quotes removed. */
export function parseDotEnv(text: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const body = line.startsWith('export ') ? line.slice(7).trim() : line;
    const at = body.indexOf('=');
    if (at <= 0) continue;
    const key = body.slice(0, at).trim();
    let value = body.slice(at + 1).trim();
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
      const quoted = value[0];
      value = value.slice(1, -1);
      if (quoted === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    } else {
      // An unquoted value ends where an inline comment starts.
      value = value.replace(/\s+#.*$/, '');
    }
    out.push({ key, value });
  }
  return out;
}
