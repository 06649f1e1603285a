'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { AuditEntry, AuditPage } from '@/server/protocol/index.ts';
import { api } from '../api/client.ts';
import { qk } from '../query-keys.ts';
import { useSessionUser } from '../shell/session.tsx';
import { Badge } from '../ui/badge.tsx';
import { Button, buttonClass } from '../ui/button.tsx';
import { ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { ResourceTable, type Column } from '../ui/resource-table.tsx';
import { AuditFilterForm, filterQuery, NO_FILTERS } from './audit-filters.tsx';

const PAGE = 200;

/** Every cell is plain text: names and messages come from users and engines. */
const COLUMNS: Column<AuditEntry>[] = [
  { id: 'time', header: 'Time', width: '11rem', sortValue: (e) => e.id, cell: (e) => <span className="font-mono text-xs">{new Date(e.time).toLocaleString(undefined, { hour12: false })}</span> },
  { id: 'user', header: 'User', width: '12rem', sortValue: (e) => e.username, cell: (e) => <span title={e.role}>{e.username} <span className="text-xs text-muted">({e.role})</span></span> },
  { id: 'action', header: 'Action', width: '10rem', sortValue: (e) => e.action, cell: (e) => <span className="font-mono text-xs" title={`${e.method} ${e.route}`}>{e.action}</span> },
  { id: 'target', header: 'Target', width: 'minmax(8rem, 2fr)', sortValue: (e) => e.target ?? '', cell: (e) => <span className="truncate" title={e.target ?? ''}>{e.target ?? ''}</span> },
  { id: 'env', header: 'Environment', width: '8rem', sortValue: (e) => e.environment ?? '', cell: (e) => e.environment ?? '—' },
  { id: 'source', header: 'Source', width: '8rem', sortValue: (e) => e.source, cell: (e) => <span className="font-mono text-xs">{e.source}</span> },
  {
    id: 'result', header: 'Result', width: 'minmax(10rem, 3fr)', sortValue: (e) => e.status,
    cell: (e) => <span className="flex min-w-0 items-center gap-2"><Badge tone={e.status < 400 ? 'success' : 'danger'}>{String(e.status)}</Badge><span className="truncate text-xs" title={e.error ?? ''}>{e.error ?? ''}</span></span>,
  },
];

/** The audit log (admins only): filtered on the server, newest first, paged with a cursor. */
export function AuditView() {
  const me = useSessionUser();
  const [filters, setFilters] = useState(NO_FILTERS);
  const query = useMemo(() => filterQuery(filters), [filters]);
  const log = useInfiniteQuery({
    queryKey: qk.audit(query),
    queryFn: ({ pageParam }) => api<AuditPage>(`/api/audit?${new URLSearchParams({ ...query, limit: String(PAGE), ...(pageParam ? { before: String(pageParam) } : {}) })}`),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: me.role === 'admin',
  });
  const rows = useMemo(() => log.data?.pages.flatMap((p) => p.entries) ?? [], [log.data]);

  if (me.role !== 'admin') return <><PageHeader title="Audit log" /><p className="text-sm text-muted">Only administrators read the audit log.</p></>;
  return (
    <>
      <PageHeader title="Audit log" subtitle="Every change made through the dashboard or its Docker API proxy, newest first"
        actions={<>
          <Button onClick={() => void log.refetch()}>Refresh</Button>
          <a className={buttonClass()} href={`/api/audit/export?${new URLSearchParams(query)}`} download="wharf-audit.json">Export JSON</a>
        </>} />
      <AuditFilterForm onApply={setFilters} />
      {log.error && <ErrorBox error={log.error} what="the audit log" />}
      {log.isPending ? <Loading what="the audit log" /> : (
        <ResourceTable<AuditEntry> label="audit entries" rows={rows} columns={COLUMNS} rowId={(e) => String(e.id)}
          searchText={(e) => `${e.username} ${e.action} ${e.target ?? ''} ${e.environment ?? ''} ${e.source} ${e.status} ${e.error ?? ''}`}
          initialSort={{ column: 'time', desc: true }} rowHeight={36}
          empty={<p className="p-6 text-center text-sm text-muted">No recorded actions match.</p>} />
      )}
      {log.hasNextPage && <div className="mt-3"><Button busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>Load older entries</Button></div>}
    </>
  );
}
