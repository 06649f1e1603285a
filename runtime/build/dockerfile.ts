import { DockerfileParser } from 'dockerfile-ast';
import { InvalidArgumentError } from '../errors.ts';

/** One Dockerfile instruction: keyword upper-cased, arguments with line continuations joined. */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
  /** As the classic builder prints it in `Step N/M : ...`. */
  text: string;
}

export const KNOWN = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'ENV', 'ARG', 'WORKDIR', 'USER', 'CMD', 'ENTRYPOINT', 'LABEL', 'EXPOSE', 'VOLUME', 'STOPSIGNAL', 'SHELL', 'HEALTHCHECK', 'MAINTAINER', 'ONBUILD']);

export function parseDockerfile(text: string): Instruction[] {
  const df = DockerfileParser.parse(text);
  const out: Instruction[] = [];
  for (const i of df.getInstructions()) {
    const keyword = i.getKeyword().toUpperCase();
    const args = i.getTextContent().replace(/^\s*\S+/, '').replace(/\\\r?\n/g, '').replace(/\n\s*#[^\n]*/g, '').trim();
    const line = i.getRange().start.line + 1;
    if (!KNOWN.has(keyword)) throw new InvalidArgumentError(`dockerfile parse error line ${line}: unknown instruction: ${keyword}`);
    out.push({ keyword, args, line, text: `${keyword} ${args}`.trim() });
  }
  if (!out.length) throw new InvalidArgumentError('the Dockerfile cannot be empty');
  return out;
}

/** Split on unquoted whitespace, removing quotes and backslash escapes as the shell lexer does. */
export function splitWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") { quote = c; inWord = true; }
    else if (c === '\\' && i + 1 < s.length) { cur += s[++i]; inWord = true; }
    else if (/\s/.test(c)) { if (inWord) words.push(cur); cur = ''; inWord = false; }
    else { cur += c; inWord = true; }
  }
  if (quote) throw new InvalidArgumentError(`unmatched quote in: ${s}`);
  if (inWord) words.push(cur);
  return words;
}

/** `K=V K2="v w"` pairs, or the legacy `K some value` form (one pair) when `legacy` allows it. */
export function parseKeyValues(s: string, keyword: string, legacy = true): [string, string][] {
  const words = splitWords(s);
  if (!words.length) throw new InvalidArgumentError(`${keyword} requires at least one argument`);
  if (!words[0]!.includes('=')) {
    if (!legacy) throw new InvalidArgumentError(`${keyword} names can not be blank`);
    const m = /^(\S+)\s+(.*)$/s.exec(s.trim());
    if (!m) throw new InvalidArgumentError(`${keyword} requires exactly two arguments`);
    return [[m[1]!, splitWords(m[2]!).join(' ')]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** The exec (JSON array) form, or null for the shell form. */
export function parseExecForm(s: string): string[] | null {
  if (!s.trim().startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(s);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch { /* not JSON: the shell form, as Docker reads it */ }
  return null;
}

/** Leading `--name=value` flags (COPY --from, --chown; FROM --platform). */
export function takeFlags(s: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = s.trim();
  for (let m = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest); m; m = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest)) {
    flags[m[1]!] = m[2] ?? 'true';
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}
