/**
 * ANSI SGR (colour and style) parsing for log lines. Output is a list of text segments with
 * styles, rendered as React text nodes: escape sequences never reach the DOM as markup.
 * Other escape sequences (cursor movement, titles) are dropped.
 */
export interface AnsiStyle {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strike?: boolean;
}

export interface Segment { text: string; style: AnsiStyle }

/** The 16 basic colours, readable on light and dark backgrounds. */
const BASIC = [
  '#4d4d4d', '#d0453a', '#3f9a3d', '#b58900', '#3b78d8', '#b054c2', '#1e9aa8', '#a8a8a8',
  '#7a7a7a', '#ef6a5f', '#5ec15b', '#d8b03a', '#6b9cf0', '#d07ce0', '#40c4d2', '#d8d8d8',
];

function color256(n: number): string | undefined {
  if (n < 0 || n > 255) return undefined;
  if (n < 16) return BASIC[n];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

/** Applies one SGR parameter list (the numbers of `ESC [ … m`) to a style. */
export function applySgr(style: AnsiStyle, params: number[]): AnsiStyle {
  const s: AnsiStyle = { ...style };
  if (params.length === 0) params = [0];
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p === 0) {
      for (const key of Object.keys(s)) delete s[key as keyof AnsiStyle];
    } else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 7) s.inverse = true;
    else if (p === 9) s.strike = true;
    else if (p === 22) { s.bold = false; s.dim = false; }
    else if (p === 23) s.italic = false;
    else if (p === 24) s.underline = false;
    else if (p === 27) s.inverse = false;
    else if (p === 29) s.strike = false;
    else if (p >= 30 && p <= 37) s.fg = BASIC[p - 30];
    else if (p === 39) delete s.fg;
    else if (p >= 40 && p <= 47) s.bg = BASIC[p - 40];
    else if (p === 49) delete s.bg;
    else if (p >= 90 && p <= 97) s.fg = BASIC[p - 90 + 8];
    else if (p >= 100 && p <= 107) s.bg = BASIC[p - 100 + 8];
    else if (p === 38 || p === 48) {
      const key = p === 38 ? 'fg' : 'bg';
      if (params[i + 1] === 5) {
        const c = color256(params[i + 2] ?? -1);
        if (c) s[key] = c;
        i += 2;
      } else if (params[i + 1] === 2) {
        const [r, g, b] = [params[i + 2], params[i + 3], params[i + 4]].map((v) => Math.min(255, Math.max(0, v ?? 0)));
        s[key] = `rgb(${r},${g},${b})`;
        i += 4;
      }
    }
  }
  return s;
}

// CSI: ESC [ params intermediates final; OSC: ESC ] … (BEL | ESC \); other two-byte escapes; C0 controls but tab.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[([0-9;:?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f]/g;

/** Splits a line into styled segments, starting from `start` (the style the previous line ended with). */
export function parseAnsi(line: string, start: AnsiStyle = {}): { segments: Segment[]; end: AnsiStyle } {
  const segments: Segment[] = [];
  let style = start;
  let last = 0;
  ESCAPES.lastIndex = 0;
  for (let m = ESCAPES.exec(line); m; m = ESCAPES.exec(line)) {
    if (m.index > last) segments.push({ text: line.slice(last, m.index), style });
    last = m.index + m[0].length;
    if (m[2] === 'm' && m[1] !== undefined && !m[1].includes('?')) {
      style = applySgr(style, m[1] === '' ? [] : m[1].split(/[;:]/).map((n) => (n === '' ? 0 : Number(n))));
    }
  }
  if (last < line.length) segments.push({ text: line.slice(last), style });
  return { segments, end: style };
}

/** The text of a line without any escape sequences (for search and download). */
export function stripAnsi(line: string): string {
  return hasControls(line) ? line.replace(ESCAPES, '') : line;
}

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/;

/** Lines without control characters (most of them) need no parsing at all. */
export function hasControls(line: string): boolean {
  return CONTROLS.test(line);
}

export function isPlain(style: AnsiStyle): boolean {
  return Object.values(style).every((v) => v === undefined || v === false);
}

/** CSS for a segment's style. */
export function cssOf(style: AnsiStyle): React.CSSProperties | undefined {
  if (isPlain(style)) return undefined;
  const fg = style.inverse ? (style.bg ?? 'var(--wharf-bg)') : style.fg;
  const bg = style.inverse ? (style.fg ?? 'var(--wharf-fg)') : style.bg;
  const decorations = [style.underline && 'underline', style.strike && 'line-through'].filter(Boolean).join(' ');
  return {
    color: fg,
    backgroundColor: bg,
    fontWeight: style.bold ? 700 : undefined,
    opacity: style.dim ? 0.7 : undefined,
    fontStyle: style.italic ? 'italic' : undefined,
    textDecoration: decorations || undefined,
  };
}
