'use client';

import { useQuery } from '@tanstack/react-query';
import { imageHintsPath, type ImageSizeHints } from '@/server/protocol/index.ts';
import { api } from '../api/client.ts';
import { formatBytes } from '../format.ts';
import { qk } from '../query-keys.ts';
import { Card, ErrorBox, Loading } from '../ui/layout.tsx';

const step = (s: string): string => s.replace(/^\/bin\/sh -c (#\(nop\)\s*)?/, '');

/** The image's size hints, as its build printed them: computed once by the engine and stored with the image. */
export function SizeHints({ env, id }: { env: string; id: string }) {
  const q = useQuery({ queryKey: [...qk.image(env, id), 'hints'], queryFn: () => api<ImageSizeHints>(imageHintsPath(env, id)) });
  return (
    <Card title="Size hints">
      {q.error && <ErrorBox error={q.error} what="the size hints" />}
      {!q.data && !q.error && <Loading what="the size hints" />}
      {q.data && (
        <div className="space-y-3 text-sm" data-size-hints>
          <p>{q.data.layers} layer{q.data.layers === 1 ? '' : 's'}, {formatBytes(q.data.size)}{q.data.wastedBytes > 0 && <>; {formatBytes(q.data.wastedBytes)} added and deleted later</>}</p>
          <Section title="Largest layers" items={q.data.largest.map((l) => `${formatBytes(l.size)}  ${step(l.createdBy)}`)} />
          <Section title="RUN steps that could be chained into one layer" items={q.data.chainableRuns.map((r) => r.commands.map(step).join('  &&  '))} />
          <Section title="Package-manager caches left in a layer" items={q.data.caches.map((c) => `${c.manager}: ${c.path} (${formatBytes(c.size)}) by ${step(c.createdBy)}`)} />
          <Section title="Files added, then deleted in a later layer" items={q.data.wasted.map((w) => `${w.path} (${formatBytes(w.size)}) added by ${step(w.addedBy)}, deleted by ${step(w.deletedBy)}`)} />
        </div>
      )}
    </Card>
  );
}

function Section({ title, items }: { title: string; items: string[] }) {
  if (!items.length) return null;
  return (
    <div>
      <h3 className="text-xs font-medium text-muted">{title}</h3>
      <ul className="mt-1 space-y-0.5 font-mono text-xs break-all">{items.map((t, i) => <li key={i}>{t}</li>)}</ul>
    </div>
  );
}
