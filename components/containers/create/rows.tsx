'use client';

import type { ReactNode } from 'react';
import { Button } from '../../ui/button.tsx';
import { inputClass } from '../../ui/field.tsx';

/** An editable list of rows (env, labels, ports, volumes) with add/remove buttons. */
export function RowsEditor<T>({ rows, onChange, make, render, addLabel, empty }: {
  rows: T[];
  onChange: (rows: T[]) => void;
  make: () => T;
  render: (row: T, index: number, update: (patch: Partial<T>) => void) => ReactNode;
  addLabel: string;
  empty: string;
}) {
  return (
    <div className="space-y-2">
      {rows.length === 0 && <p className="text-sm text-muted">{empty}</p>}
      {rows.map((row, i) => (
        <div key={i} className="flex items-start gap-2" data-row-index={i}>
          <div className="grid min-w-0 flex-1 gap-2">{render(row, i, (patch) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r))))}</div>
          <Button size="sm" variant="ghost" className="mt-0.5" aria-label={`Remove row ${i + 1}`} onClick={() => onChange(rows.filter((_r, j) => j !== i))}>✕</Button>
        </div>
      ))}
      <Button size="sm" onClick={() => onChange([...rows, make()])}>+ {addLabel}</Button>
    </div>
  );
}

/** A bare input inside a row, with its own error under it. */
export function RowInput({ label, value, onChange, error, placeholder, className = '', name }: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  placeholder?: string;
  className?: string;
  name?: string;
}) {
  return (
    <div className={`flex min-w-0 flex-col gap-0.5 ${className}`}>
      <input aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder ?? label} name={name}
        aria-invalid={error ? true : undefined} className={inputClass} />
      {error && <p role="alert" className="text-xs text-danger" data-field-error>{error}</p>}
    </div>
  );
}
