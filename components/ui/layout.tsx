import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { Spinner } from './button.tsx';

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
      <div className="min-w-0">
        <h1 className="truncate text-xl font-semibold">{title}</h1>
        {subtitle && <p className="text-sm text-muted">{subtitle}</p>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

export function Card({ title, actions, children, className = '' }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`rounded-lg border border-line bg-panel ${className}`}>
      {(title || actions) && (
        <header className="flex items-center justify-between gap-2 border-b border-line px-4 py-2.5">
          <h2 className="text-sm font-semibold">{title}</h2>
          {actions && <div className="flex items-center gap-2">{actions}</div>}
        </header>
      )}
      <div className="p-4">{children}</div>
    </section>
  );
}

export function Loading({ what }: { what: string }) {
  return <p className="flex items-center gap-2 p-4 text-sm text-muted"><Spinner /> Loading {what}…</p>;
}

/** A failed query, said plainly; 404/501 from engines that lack a verb are shown as such. */
export function ErrorBox({ error, what }: { error: unknown; what?: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const status = error instanceof ApiError ? ` (${error.status})` : '';
  return (
    <div role="alert" data-error-box className="rounded-md border border-danger/50 bg-danger/5 px-4 py-3 text-sm text-danger">
      {what ? `Cannot load ${what}${status}: ` : ''}{message}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="p-6 text-center text-sm text-muted">{children}</p>;
}
