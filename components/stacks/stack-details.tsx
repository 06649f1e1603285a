'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { StackProgress } from '@/server/protocol/index.ts';
import { messageOf } from '../api/client.ts';
import { qk } from '../query-keys.ts';
import { Badge } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { Card, ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { stacks } from './api.ts';
import { ProgressView } from './plan-view.tsx';
import { StackEditor } from './stack-editor.tsx';
import { StackLogs } from './stack-logs.tsx';

/** One stack: its containers by service, its files and plan, lifecycle actions and logs. */
export function StackDetails({ name }: { name: string }) {
  const client = useQueryClient();
  const router = useRouter();
  const stack = useQuery({ queryKey: qk.stack(name), queryFn: () => stacks.get(name), refetchInterval: 3000 });
  const [progress, setProgress] = useState<StackProgress[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');
  if (stack.isLoading) return <Loading what="the stack" />;
  if (stack.error || !stack.data) return <ErrorBox error={stack.error} what="the stack" />;
  const s = stack.data;
  const refresh = () => client.invalidateQueries({ queryKey: qk.stacks() });
  const run = async (what: string, fn: () => Promise<unknown>) => {
    setBusy(what);
    setError('');
    try {
      await fn();
    } catch (err) {
      setError(messageOf(err));
    }
    setBusy('');
    await refresh();
  };
  const down = () => run('down', async () => {
    const lines: StackProgress[] = [];
    await stacks.down(name, false, (p) => { lines.push(p); setProgress([...lines]); });
  });
  return (
    <div className="space-y-4">
      <PageHeader title={<span className="flex items-center gap-2">{s.name}{s.external && <Badge tone="warning">external</Badge>}</span>}
        subtitle={<Link href="/stacks" className="text-accent hover:underline">All stacks</Link>}
        actions={<>
          {(['start', 'stop', 'restart'] as const).map((a) => <Button key={a} size="sm" busy={busy === a} onClick={() => run(a, () => stacks.lifecycle(name, a))} data-stack-action={a}>{a[0]!.toUpperCase() + a.slice(1)}</Button>)}
          <Button size="sm" variant="danger" busy={busy === 'down'} onClick={down} data-stack-action="down">Down</Button>
          <Button size="sm" variant="danger" busy={busy === 'remove'} data-stack-action="remove"
            onClick={() => run('remove', async () => { await stacks.remove(name, false); router.push('/stacks'); })}>Remove</Button>
        </>} />
      {error && <ErrorBox error={error} />}
      {progress.length > 0 && <Card title="Progress"><ProgressView lines={progress} /></Card>}
      <Card title="Containers">
        <table className="w-full text-sm" data-stack-containers>
          <thead><tr className="text-left text-muted"><th className="py-1">Service</th><th>Container</th><th>State</th><th>Health</th><th>Image</th></tr></thead>
          <tbody>
            {s.containerList.map((c) => (
              <tr key={c.id} className="border-t border-line" data-container={c.name} data-container-id={c.id}>
                <td className="py-1">{c.service}</td>
                <td><Link prefetch={false} className="text-accent hover:underline" href={`/containers/${c.id}`}>{c.name}</Link></td>
                <td>{c.status}</td>
                <td>{c.health ?? '—'}</td>
                <td className="font-mono">{c.image}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      {s.external && <p className="text-sm text-muted">Made by a compose tool: write its compose file below to take it over.</p>}
      <StackEditor key={s.managed ? 'managed' : 'external'} name={() => name} initial={s.files ?? { compose: '', env: '' }}
        save={(files) => stacks.save(name, files)} onApplied={() => void refresh()} />
      <Card title="Logs"><StackLogs name={name} services={s.services} /></Card>
    </div>
  );
}
