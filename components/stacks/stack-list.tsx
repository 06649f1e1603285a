'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { buttonClass } from '../ui/button.tsx';
import { Badge } from '../ui/badge.tsx';
import { Card, Empty, ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { qk } from '../query-keys.ts';
import { stacks } from './api.ts';

/** Wharf's stacks and those compose tools made against this engine (external). */
export function StackList() {
  const list = useQuery({ queryKey: qk.stacks(), queryFn: stacks.list, refetchInterval: 5000 });
  return (
    <div>
      <PageHeader title="Stacks" subtitle="Compose files kept under the data root, and projects made by compose tools"
        actions={<Link href="/stacks/new" className={buttonClass('primary')} data-new-stack>New stack</Link>} />
      <Card>
        {list.isLoading ? <Loading what="stacks" /> : list.error ? <ErrorBox error={list.error} what="stacks" /> : !list.data?.length ? <Empty>No stacks yet.</Empty> : (
          <table className="w-full text-sm">
            <thead><tr className="text-left text-muted"><th className="py-1">Name</th><th>Services</th><th>Running</th><th /></tr></thead>
            <tbody>
              {list.data.map((s) => (
                <tr key={s.name} className="border-t border-line" data-stack={s.name}>
                  <td className="py-1.5"><Link prefetch={false} className="text-accent hover:underline" href={`/stacks/${encodeURIComponent(s.name)}`}>{s.name}</Link></td>
                  <td>{s.services.join(', ') || '—'}</td>
                  <td>{s.running}/{s.containers}</td>
                  <td>{s.external && <Badge tone="warning" title="Made by a compose tool: no files under the data root">external</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
