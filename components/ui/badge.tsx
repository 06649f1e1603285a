import type { ReactNode } from 'react';

export type Tone = 'neutral' | 'success' | 'danger' | 'warning' | 'info' | 'accent';

const tones: Record<Tone, string> = {
  neutral: 'bg-raised text-muted border-line',
  success: 'bg-success/10 text-success border-success/40',
  danger: 'bg-danger/10 text-danger border-danger/40',
  warning: 'bg-warning/10 text-warning border-warning/40',
  info: 'bg-info/10 text-info border-info/40',
  accent: 'bg-accent/10 text-accent border-accent/40',
};

export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span title={title} className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap ${tones[tone]}`}>
      {children}
    </span>
  );
}
