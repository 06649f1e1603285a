import type { ReactNode } from 'react';
import { Card } from './layout.tsx';

export type DetailRow = [label: string, value: ReactNode];

export interface DetailSection {
  title: string;
  rows?: DetailRow[];
  /** Free content instead of rows (tables of mounts, ports…). */
  content?: ReactNode;
  wide?: boolean;
}

/** Sections of label/value pairs; values are React nodes, so user strings stay text. */
export function ResourceDetails({ sections }: { sections: DetailSection[] }) {
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      {sections.map((s) => (
        <Card key={s.title} title={s.title} className={s.wide ? 'xl:col-span-2' : ''}>
          {s.content ?? (
            <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1.5 text-sm">
              {(s.rows ?? []).map(([label, value]) => (
                <div key={label} className="contents">
                  <dt className="text-muted">{label}</dt>
                  <dd className="min-w-0 break-words" data-detail={label}>{value ?? '—'}</dd>
                </div>
              ))}
            </dl>
          )}
        </Card>
      ))}
    </div>
  );
}

/** A two-column table of key/value pairs (labels, env); shows "none" when empty. */
export function KeyValueTable({ entries, keyHeader = 'Name', valueHeader = 'Value', mono = true }: {
  entries: [string, string][];
  keyHeader?: string;
  valueHeader?: string;
  mono?: boolean;
}) {
  if (entries.length === 0) return <p className="text-sm text-muted">None</p>;
  return (
    <table className={`w-full table-fixed text-sm ${mono ? 'font-mono text-xs' : ''}`}>
      <thead className="text-left text-xs text-muted">
        <tr><th className="w-2/5 py-1 font-sans font-medium">{keyHeader}</th><th className="py-1 font-sans font-medium">{valueHeader}</th></tr>
      </thead>
      <tbody>
        {entries.map(([k, v], i) => (
          <tr key={`${k}-${i}`} className="border-t border-line align-top">
            <td className="py-1 pr-3 break-all">{k}</td>
            <td className="py-1 break-all whitespace-pre-wrap" data-kv={k}>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SimpleTable({ headers, rows, empty = 'None' }: { headers: string[]; rows: ReactNode[][]; empty?: string }) {
  if (rows.length === 0) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <thead className="text-left text-xs text-muted">
          <tr>{headers.map((h) => <th key={h} className="py-1 pr-3 font-medium whitespace-nowrap">{h}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((cells, i) => (
            <tr key={i} className="border-t border-line align-top">
              {cells.map((c, j) => <td key={j} className="py-1.5 pr-3 break-all">{c}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
