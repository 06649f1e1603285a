'use client';

import { useRef } from 'react';
import type { StackProblem } from '@/server/protocol/index.ts';

/**
 * A plain-text editor for a compose file or `.env` with line numbers; a line with a problem
 * is marked in the gutter and its message is listed under the editor, each linking to it.
 */
export function FileEditor({ label, name, value, onChange, problems, rows = 18 }: {
  label: string; name: string; value: string; onChange: (v: string) => void; problems: StackProblem[]; rows?: number;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split('\n').length;
  const bad = new Map(problems.map((p) => [p.line, p.message]));
  const goTo = (line: number) => {
    const el = area.current;
    if (!el) return;
    const start = value.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0);
    el.focus();
    el.setSelectionRange(start, start + (value.split('\n')[line - 1]?.length ?? 0));
  };
  return (
    <div className="space-y-1">
      <label htmlFor={`stack-${name}`} className="text-sm font-medium">{label}</label>
      <div className="flex overflow-hidden rounded-md border border-line bg-bg font-mono text-sm leading-5">
        <div ref={gutter} aria-hidden className="select-none overflow-hidden border-r border-line px-2 py-2 text-right text-muted" style={{ height: `${rows * 1.25 + 1}rem` }}>
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} data-problem-line={bad.has(i + 1) ? i + 1 : undefined} title={bad.get(i + 1)} className={bad.has(i + 1) ? 'bg-danger/20 text-danger' : ''}>{i + 1}</div>
          ))}
        </div>
        <textarea id={`stack-${name}`} name={name} ref={area} rows={rows} spellCheck={false} value={value} aria-invalid={problems.length ? true : undefined}
          onChange={(e) => onChange(e.target.value)} onScroll={(e) => { if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop; }}
          className="w-full resize-none bg-transparent px-2 py-2 leading-5 text-fg focus:outline-none" style={{ height: `${rows * 1.25 + 1}rem` }} />
      </div>
      {problems.length > 0 && (
        <ul className="space-y-0.5 text-sm text-danger" data-problems={name}>
          {problems.map((p, i) => (
            <li key={i}><button type="button" className="underline" onClick={() => goTo(p.line)}>line {p.line}, column {p.column}</button>: {p.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
