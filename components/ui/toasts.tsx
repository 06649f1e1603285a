'use client';

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

type Kind = 'success' | 'error' | 'info';
interface Toast { id: number; kind: Kind; message: string }
interface Toaster { success(message: string): void; error(message: string): void; info(message: string): void }

const ToastContext = createContext<Toaster | null>(null);

export function useToast(): Toaster {
  const toaster = useContext(ToastContext);
  if (!toaster) throw new Error('useToast outside ToastProvider');
  return toaster;
}

const style: Record<Kind, string> = {
  success: 'border-success/50 text-fg',
  error: 'border-danger/60 text-fg',
  info: 'border-line text-fg',
};
const mark: Record<Kind, string> = { success: 'text-success', error: 'text-danger', info: 'text-info' };

let nextId = 1;

/** Results and errors of actions; errors stay until dismissed, successes go after a few seconds. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const push = useCallback((kind: Kind, message: string) => {
    const id = nextId++;
    setToasts((all) => [...all.slice(-4), { id, kind, message }]);
    if (kind !== 'error') setTimeout(() => dismiss(id), 5000);
  }, [dismiss]);
  const toaster = useMemo<Toaster>(() => ({
    success: (m) => push('success', m),
    error: (m) => push('error', m),
    info: (m) => push('info', m),
  }), [push]);
  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <div className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-96 max-w-[calc(100vw-2rem)] flex-col gap-2" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} role={t.kind === 'error' ? 'alert' : 'status'} data-toast={t.kind}
            className={`pointer-events-auto flex items-start gap-3 rounded-md border bg-panel px-4 py-3 text-sm shadow-lg ${style[t.kind]}`}>
            <span aria-hidden className={`font-bold ${mark[t.kind]}`}>{t.kind === 'success' ? '✓' : t.kind === 'error' ? '!' : 'i'}</span>
            <p className="min-w-0 flex-1 break-words whitespace-pre-wrap">{t.message}</p>
            <button type="button" onClick={() => dismiss(t.id)} aria-label="Dismiss" className="text-muted hover:text-fg">×</button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
