import { memo, type ReactNode } from 'react';
import { cssOf, hasControls, parseAnsi, type AnsiStyle } from './ansi.ts';
import type { LogEntry } from './buffer.ts';

/** Splits `text` around case-insensitive matches of `needle` (already lower-case) into <mark>s. */
function highlight(text: string, needle: string, keyPrefix: string): ReactNode[] {
  if (!needle) return [text];
  const lower = text.toLowerCase();
  const out: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    if (at > from) out.push(text.slice(from, at));
    out.push(<mark key={`${keyPrefix}-${at}`}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}

/**
 * One log line. Escape sequences become styled spans; the text itself is always a React
 * text node, so a line that contains markup shows the markup.
 */
export const LogLineView = memo(function LogLineView({ entry, needle, timestamps }: { entry: LogEntry; needle: string; timestamps: boolean }) {
  const segments = hasControls(entry.text)
    ? parseAnsi(entry.text, entry.start).segments
    : [{ text: entry.text, style: entry.start ?? ({} as AnsiStyle) }];
  return (
    <>
      {timestamps && entry.time && <span className="mr-2 text-muted select-none">{entry.time.replace('T', ' ').replace(/(\.\d{3})\d*/, '$1')}</span>}
      {segments.map((s, i) => {
        const content = highlight(s.text, needle, String(i));
        const css = cssOf(s.style);
        return css ? <span key={i} style={css}>{content}</span> : <span key={i}>{content}</span>;
      })}
    </>
  );
});
