'use client';

import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import { Button } from './button.tsx';
import { Dialog } from './dialog.tsx';

export interface ConfirmOptions {
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  danger?: boolean;
  /** An optional checkbox (e.g. "force"); its value is passed back. */
  option?: { label: string; initial?: boolean };
}

type Confirm = (options: ConfirmOptions) => Promise<{ confirmed: boolean; option: boolean }>;

const ConfirmContext = createContext<Confirm | null>(null);

/** `await confirm({...})` before anything destructive. */
export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error('useConfirm outside ConfirmProvider');
  return confirm;
}

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<ConfirmOptions | null>(null);
  const [option, setOption] = useState(false);
  const resolver = useRef<((r: { confirmed: boolean; option: boolean }) => void) | null>(null);

  const confirm = useCallback<Confirm>((options) => new Promise((resolve) => {
    resolver.current?.({ confirmed: false, option: false });
    resolver.current = resolve;
    setOption(options.option?.initial ?? false);
    setCurrent(options);
  }), []);

  const finish = (confirmed: boolean) => {
    resolver.current?.({ confirmed, option });
    resolver.current = null;
    setCurrent(null);
  };

  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <Dialog open={current !== null} onClose={() => finish(false)} title={current?.title ?? ''}
        footer={<>
          <Button onClick={() => finish(false)}>Cancel</Button>
          <Button variant={current?.danger ? 'danger' : 'primary'} onClick={() => finish(true)} autoFocus data-confirm>
            {current?.confirmLabel ?? 'Confirm'}
          </Button>
        </>}>
        <div className="space-y-3 text-sm">
          <div>{current?.message}</div>
          {current?.option && (
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={option} onChange={(e) => setOption(e.target.checked)} />
              {current.option.label}
            </label>
          )}
        </div>
      </Dialog>
    </ConfirmContext.Provider>
  );
}
