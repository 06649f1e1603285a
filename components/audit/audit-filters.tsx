'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '../ui/button.tsx';
import { inputBase } from '../ui/field.tsx';

/** The filters of GET /api/audit as the form holds them; empty strings are "any". */
export interface AuditFilters { user: string; action: string; environment: string; result: string; since: string; until: string }

export const NO_FILTERS: AuditFilters = { user: '', action: '', environment: '', result: '', since: '', until: '' };

/** The query string of the filters; `datetime-local` values are read in the browser's time zone. */
export function filterQuery(f: AuditFilters): Record<string, string> {
  const q: Record<string, string> = {};
  for (const key of ['user', 'action', 'environment', 'result'] as const) if (f[key].trim()) q[key] = f[key].trim();
  for (const key of ['since', 'until'] as const) if (f[key]) q[key] = String(new Date(f[key]).getTime());
  return q;
}

const text = (label: string, key: keyof AuditFilters, placeholder: string) => ({ label, key, placeholder });
const TEXT_FIELDS = [text('User', 'user', 'username'), text('Action', 'action', 'e.g. container or image.pull'), text('Environment', 'environment', 'id, e.g. local')];

export function AuditFilterForm({ onApply }: { onApply: (f: AuditFilters) => void }) {
  const [f, setF] = useState<AuditFilters>(NO_FILTERS);
  const set = (key: keyof AuditFilters, value: string) => setF((old) => ({ ...old, [key]: value }));
  const submit = (e: FormEvent) => { e.preventDefault(); onApply(f); };
  return (
    <form className="mb-3 flex flex-wrap items-end gap-2 text-sm" onSubmit={submit} aria-label="Audit filters">
      {TEXT_FIELDS.map(({ label, key, placeholder }) => (
        <label key={key} className="flex flex-col text-xs text-muted">{label}
          <input name={key} value={f[key]} onChange={(e) => set(key, e.target.value)} placeholder={placeholder} className={`${inputBase} w-44`} />
        </label>
      ))}
      <label className="flex flex-col text-xs text-muted">Result
        <select name="result" value={f.result} onChange={(e) => set('result', e.target.value)} className={`${inputBase} w-32`}>
          <option value="">any</option>
          <option value="success">success</option>
          <option value="failure">failure</option>
        </select>
      </label>
      <label className="flex flex-col text-xs text-muted">Since
        <input type="datetime-local" name="since" value={f.since} onChange={(e) => set('since', e.target.value)} className={`${inputBase} w-52`} />
      </label>
      <label className="flex flex-col text-xs text-muted">Until
        <input type="datetime-local" name="until" value={f.until} onChange={(e) => set('until', e.target.value)} className={`${inputBase} w-52`} />
      </label>
      <Button type="submit">Apply filters</Button>
      <Button type="button" onClick={() => { setF(NO_FILTERS); onApply(NO_FILTERS); }}>Reset</Button>
    </form>
  );
}
