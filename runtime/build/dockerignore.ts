import { posix } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';

/** Go's filepath.Clean: `.` and `..` resolved lexically, repeated and trailing slashes dropped. */
export function goClean(p: string): string {
  if (!p) return '.';
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** .dockerignore lines as Docker reads them: `#` comments, trimmed, cleaned, one leading `/` removed. */
export function readIgnoreFile(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (raw.startsWith('#')) continue;
    let p = raw.trim();
    if (!p) continue;
    const invert = p.startsWith('!');
    if (invert) p = p.slice(1).trim();
    if (p) {
      p = goClean(p);
      if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
    }
    out.push(invert ? `!${p}` : p);
  }
  return out;
}

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';
const ESCAPE = new Set([...'.+()|{}$']);

/** One pattern, compiled the way Docker's patternmatcher does (filepath.Match plus `**`). */
class Pattern {
  readonly dirs: string[];
  private readonly type: MatchType;
  private readonly re?: RegExp;

  constructor(readonly cleaned: string, readonly exclusion: boolean) {
    this.dirs = cleaned.split('/');
    let re = '^';
    let type: MatchType = 'exact';
    const chars = [...cleaned];
    for (let i = 0, k = 0; k < chars.length; i++) {
      const ch = chars[k++]!;
      if (ch === '*') {
        if (chars[k] === '*') {
          k++;
          if (chars[k] === '/') k++;
          if (k >= chars.length) {
            if (type === 'exact') type = 'prefix';
            else { re += '.*'; type = 'regexp'; }
          } else { re += '(.*/)?'; type = 'regexp'; }
          if (i === 0) type = 'suffix';
        } else { re += '[^/]*'; type = 'regexp'; }
      } else if (ch === '?') { re += '[^/]'; type = 'regexp'; }
      else if (ESCAPE.has(ch)) re += `\\${ch}`;
      else if (ch === '\\') {
        if (k < chars.length) { re += `\\${chars[k++]!}`; type = 'regexp'; } else re += '\\\\';
      } else if (ch === '[' || ch === ']') { re += ch; type = 'regexp'; }
      else re += ch;
    }
    this.type = type;
    if (type === 'regexp') {
      try { this.re = new RegExp(`${re}$`, 'u'); } catch { throw new InvalidArgumentError(`.dockerignore: syntax error in pattern: ${cleaned}`); }
    }
  }

  match(path: string): boolean {
    switch (this.type) {
      case 'exact': return path === this.cleaned;
      case 'prefix': return path.startsWith(this.cleaned.slice(0, -2));
      case 'suffix': {
        const suffix = this.cleaned.slice(2);
        return path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
      }
      case 'regexp': return this.re!.test(path);
    }
  }
}

/**
 * Docker's .dockerignore matcher: patterns in order, a later one overriding an earlier one, `!`
 * re-including; a path is excluded when it or one of its parent directories matches.
 */
export class IgnoreMatcher {
  private readonly patterns: Pattern[] = [];
  readonly exclusions: boolean;

  constructor(lines: string[]) {
    for (let p of lines) {
      p = p.trim();
      if (!p) continue;
      p = goClean(p);
      const exclusion = p.startsWith('!');
      if (exclusion) {
        if (p.length === 1) throw new InvalidArgumentError('.dockerignore: illegal exclusion pattern: "!"');
        p = p.slice(1);
      }
      this.patterns.push(new Pattern(p, exclusion));
    }
    this.exclusions = this.patterns.some((p) => p.exclusion);
  }

  static fromText(text: string): IgnoreMatcher {
    return new IgnoreMatcher(readIgnoreFile(text));
  }

  /** MatchesOrParentMatches: `rel` is a slash-separated path relative to the context root. */
  matches(rel: string): boolean {
    const file = goClean(rel);
    if (file === '.') return false;
    const parent = posix.dirname(file);
    const parentDirs = parent.split('/');
    let matched = false;
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue;
      let m = p.match(file);
      if (!m && parent !== '.') {
        for (let i = 0; i < parentDirs.length && !m; i++) m = p.match(parentDirs.slice(0, i + 1).join('/'));
      }
      if (m) matched = !p.exclusion;
    }
    return matched;
  }

  /** Whether an excluded directory must still be walked because an exception may re-include something in it. */
  mayReinclude(dir: string): boolean {
    const slash = `${goClean(dir)}/`;
    return this.patterns.some((p) => p.exclusion && `${p.cleaned}/`.startsWith(slash));
  }
}
