'use client';

import type { StackPlan, StackProgress } from '@/server/protocol/index.ts';
import { Badge, type Tone } from '../ui/badge.tsx';

const TONES: Record<string, Tone> = { create: 'success', recreate: 'warning', start: 'info', keep: 'neutral', remove: 'danger', pull: 'info', build: 'info', present: 'neutral' };

/** What up will do, before anything changes. */
export function PlanView({ plan }: { plan: StackPlan }) {
  const rows = [
    ...plan.networks.map((n) => ({ kind: 'network', action: n.action, target: n.name, detail: '' })),
    ...plan.volumes.map((v) => ({ kind: 'volume', action: v.action, target: v.name, detail: '' })),
    ...plan.images.map((i) => ({ kind: 'image', action: i.action, target: i.image, detail: '' })),
    ...plan.containers.map((c) => ({ kind: `service ${c.service}`, action: c.action, target: c.container, detail: (c.changes ?? []).join(', ') })),
  ];
  return (
    <table className="w-full text-sm" data-plan>
      <thead><tr className="text-left text-muted"><th className="py-1">What</th><th>Action</th><th>Name</th><th>Changed</th></tr></thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} className="border-t border-line" data-plan-row={r.target} data-action={r.action}>
            <td className="py-1">{r.kind}</td>
            <td><Badge tone={TONES[r.action] ?? 'neutral'}>{r.action}</Badge></td>
            <td className="font-mono">{r.target}</td>
            <td>{r.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Up's or down's progress as it streams. */
export function ProgressView({ lines }: { lines: StackProgress[] }) {
  return (
    <ol className="max-h-72 overflow-auto font-mono text-xs" data-progress>
      {lines.map((l, i) => (
        <li key={i} data-kind={l.kind} className={l.kind === 'error' ? 'text-danger' : l.kind === 'done' ? 'text-success' : ''}>
          {l.kind} {l.target}: {l.message}
        </li>
      ))}
    </ol>
  );
}
