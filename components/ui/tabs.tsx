'use client';

import type { KeyboardEvent } from 'react';

export interface TabSpec { id: string; label: string }

/** ARIA tabs: arrow keys move between tabs, the selected one is the only tab stop. */
export function Tabs({ tabs, value, onChange, label }: { tabs: TabSpec[]; value: string; onChange: (id: string) => void; label: string }) {
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((t) => t.id === value);
    let next = index;
    if (e.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    else return;
    e.preventDefault();
    onChange(tabs[next]!.id);
    (e.currentTarget.querySelector(`[data-tab="${tabs[next]!.id}"]`) as HTMLElement | null)?.focus();
  };
  return (
    <div role="tablist" aria-label={label} onKeyDown={onKey} className="flex gap-1 overflow-x-auto border-b border-line">
      {tabs.map((tab) => {
        const selected = tab.id === value;
        return (
          <button key={tab.id} type="button" role="tab" data-tab={tab.id} aria-selected={selected} tabIndex={selected ? 0 : -1}
            onClick={() => onChange(tab.id)}
            className={`-mb-px border-b-2 px-3 py-2 text-sm whitespace-nowrap ${selected ? 'border-accent font-medium text-fg' : 'border-transparent text-muted hover:text-fg'}`}>
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}
