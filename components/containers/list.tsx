'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { containers } from '../api/docker.ts';
import type { ContainerSummary } from '../api/docker-types.ts';
import { formatAgo, formatBytes, formatPercent, shortId } from '../format.ts';
import { qk } from '../query-keys.ts';
import { StatsStore, useStatsSample, useStatsSubscriptions } from '../realtime/stats-store.ts';
import { useEnv } from '../shell/env.tsx';
import { useCanWrite } from '../shell/session.tsx';
import { buttonClass } from '../ui/button.tsx';
import { Checkbox, inputBase } from '../ui/field.tsx';
import { ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { ResourceTable, type Column } from '../ui/resource-table.tsx';
import { BulkActions } from './bulk-actions.tsx';
import { useEngineHost } from './engine-host.ts';
import { PortLinks } from './ports.tsx';
import { StateBadge } from './state-badge.tsx';
import type { UpdatesReport } from '@/server/protocol/index.ts';
import { CheckUpdatesButton } from '../updates/check-button.tsx';
import { UpdateBadge } from '../updates/update-badge.tsx';
import { updateFor, useUpdates } from '../updates/use-updates.ts';
import { COMPOSE_PROJECT, containerName, ipOf, stateOf } from './status.ts';

const STATES = ['running', 'paused', 'restarting', 'created', 'exited', 'dead'] as const;

export function ContainersList() {
  const env = useEnv();
  const canWrite = useCanWrite();
  const params = useSearchParams();
  const [stateFilter, setStateFilter] = useState(params.get('state') ?? '');
  const [grouped, setGrouped] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [statsIds, setStatsIds] = useState<string[]>([]);
  const [store] = useState(() => new StatsStore());
  const host = useEngineHost(env);
  const list = useQuery({ queryKey: qk.containerList(env), queryFn: () => containers.list(env) });
  const updates = useUpdates(env);

  useStatsSubscriptions(store, env, statsIds);
  const onVisible = useCallback((rows: ContainerSummary[]) => {
    const ids = rows.filter((r) => r.State === 'running').map((r) => r.Id);
    setStatsIds((old) => (old.length === ids.length && old.every((id, i) => id === ids[i]) ? old : ids));
  }, []);

  const rows = useMemo(() => (list.data ?? []).filter((c) => !stateFilter || c.State === stateFilter), [list.data, stateFilter]);
  const columns = useMemo(() => makeColumns(host, store, updates.data), [host, store, updates.data]);

  return (
    <>
      <PageHeader title="Containers" subtitle={`Environment ${env}`}
        actions={canWrite && (
          <>
            <CheckUpdatesButton env={env} />
            <Link href="/containers/new" className={buttonClass('primary')} data-add-container>Add container</Link>
          </>
        )} />
      {list.error && <ErrorBox error={list.error} what="containers" />}
      {list.isPending && <Loading what="containers" />}
      {list.data && (
        <ResourceTable<ContainerSummary>
          label="containers"
          rows={rows}
          columns={columns}
          rowId={(c) => c.Id}
          rowLabel={containerName}
          searchText={searchText}
          selectable={canWrite}
          selected={selected}
          onSelectedChange={setSelected}
          groupBy={grouped ? (c) => c.Labels?.[COMPOSE_PROJECT] : undefined}
          groupLabel={(key, members) => <>Stack <span className="font-mono">{key}</span> <span className="font-normal text-muted">({members.length})</span></>}
          onVisibleRowsChange={onVisible}
          initialSort={{ column: 'name' }}
          empty={<p className="p-6 text-center text-sm text-muted">{list.data.length === 0 ? 'No containers yet.' : 'No container matches.'}</p>}
          toolbar={(chosen) => (
            <>
              <select value={stateFilter} onChange={(e) => setStateFilter(e.target.value)} aria-label="Filter by state" className={`${inputBase} w-36`} data-state-filter>
                <option value="">All states</option>
                {STATES.map((s) => <option key={s} value={s}>{s}</option>)}
              </select>
              <Checkbox label="Group by stack" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} />
              {canWrite && <BulkActions env={env} selected={chosen} onDone={() => setSelected(new Set())} />}
            </>
          )}
        />
      )}
    </>
  );
}

function searchText(c: ContainerSummary): string {
  return `${containerName(c)} ${c.Image} ${c.Id} ${c.Command} ${c.State} ${c.Labels?.[COMPOSE_PROJECT] ?? ''} ${ipOf(c)}`;
}

function makeColumns(host: string, store: StatsStore, updates: UpdatesReport | undefined): Column<ContainerSummary>[] {
  return [
    {
      // Row links never prefetch (here and in the other lists): each row scrolled into view
      // would have the server render that container's page, competing with the list itself.
      id: 'name', header: 'Name', width: 'minmax(10rem, 2fr)', sortValue: containerName,
      cell: (c) => (
        <Link prefetch={false} href={`/containers/${c.Id}`} className="font-medium text-accent hover:underline" data-container-link={containerName(c)}>{containerName(c)}</Link>
      ),
    },
    { id: 'state', header: 'State', width: '9.5rem', sortValue: (c) => c.State, cell: (c) => <StateBadge container={c} /> },
    { id: 'image', header: 'Image', width: 'minmax(8rem, 1.5fr)', sortValue: (c) => c.Image, cell: (c) => (
      <span className="flex items-center gap-1.5 overflow-hidden">
        <span className="truncate" title={c.Image}>{c.Image.startsWith('sha256:') ? shortId(c.Image) : c.Image}</span>
        <UpdateBadge update={updateFor(updates, { name: containerName(c), image: c.Image, imageId: c.ImageID })} />
      </span>
    ) },
    { id: 'command', header: 'Command', width: 'minmax(8rem, 1.5fr)', cell: (c) => <span className="font-mono text-xs" title={c.Command}>{c.Command}</span> },
    { id: 'created', header: 'Created', width: '9rem', sortValue: (c) => c.Created, cell: (c) => <span className="text-muted">{formatAgo(c.Created)}</span> },
    { id: 'ports', header: 'Ports', width: 'minmax(7rem, 1fr)', cell: (c) => <PortLinks ports={c.Ports ?? []} host={host} /> },
    { id: 'ip', header: 'IP', width: '7.5rem', sortValue: ipOf, cell: (c) => <span className="font-mono text-xs">{ipOf(c) || '—'}</span> },
    { id: 'cpu', header: 'CPU', width: '5rem', cell: (c) => <LiveStat store={store} container={c} kind="cpu" /> },
    { id: 'memory', header: 'Memory', width: '6rem', cell: (c) => <LiveStat store={store} container={c} kind="memory" /> },
    { id: 'links', header: 'Quick links', width: '8.5rem', cell: (c) => <QuickLinks container={c} /> },
  ];
}

function LiveStat({ store, container, kind }: { store: StatsStore; container: ContainerSummary; kind: 'cpu' | 'memory' }) {
  const sample = useStatsSample(store, container.Id);
  if (container.State !== 'running' || !sample) return <span className="text-muted">—</span>;
  return <span className="tabular-nums" data-live-stat={kind}>{kind === 'cpu' ? formatPercent(sample.cpuPercent) : formatBytes(sample.memUsage)}</span>;
}

const QUICK_LINKS = [
  { tab: 'logs', label: 'Logs', glyph: '≡' },
  { tab: 'inspect', label: 'Inspect', glyph: 'ⓘ' },
  { tab: 'stats', label: 'Stats', glyph: '▁▃▅' },
  { tab: 'console', label: 'Console', glyph: '>_' },
] as const;

function QuickLinks({ container }: { container: ContainerSummary }) {
  const running = stateOf(container).state === 'running';
  return (
    <span className="flex gap-1">
      {QUICK_LINKS.map((l) => {
        const disabled = (l.tab === 'console' || l.tab === 'stats') && !running;
        return disabled ? (
          <span key={l.tab} className="rounded px-1 font-mono text-xs text-muted/50" title={`${l.label}: the container is not running`}>{l.glyph}</span>
        ) : (
          <Link prefetch={false} key={l.tab} href={`/containers/${container.Id}?tab=${l.tab}`} title={l.label} aria-label={`${l.label} of ${containerName(container)}`}
            className="rounded px-1 font-mono text-xs text-muted hover:bg-raised hover:text-accent">{l.glyph}</Link>
        );
      })}
    </span>
  );
}
