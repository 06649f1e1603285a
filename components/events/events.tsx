'use client';

import { useEffect, useMemo, useState } from 'react';
import type { DockerEvent } from '@/server/protocol/index.ts';
import { useRealtime } from '../realtime/provider.tsx';
import { useEnv } from '../shell/env.tsx';
import { Badge, type Tone } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { inputBase } from '../ui/field.tsx';
import { ErrorBox, PageHeader } from '../ui/layout.tsx';
import { ResourceTable, type Column } from '../ui/resource-table.tsx';

const TYPES = ['container', 'image', 'volume', 'network', 'daemon'] as const;
const KEEP = 5000;

interface Row { key: number; event: DockerEvent }

const tones: Record<string, Tone> = { start: 'success', die: 'danger', kill: 'danger', oom: 'danger', destroy: 'warning', create: 'info', stop: 'warning', pull: 'info', delete: 'warning' };

/** The engine's live event stream, filtered on the server by type, action and container. */
export function EventsView() {
  const env = useEnv();
  const realtime = useRealtime();
  const [type, setType] = useState('');
  const [action, setAction] = useState('');
  const [container, setContainer] = useState('');
  const [applied, setApplied] = useState({ type: '', action: '', container: '' });
  const [rows, setRows] = useState<Row[]>([]);
  const [paused, setPaused] = useState(false);
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    if (!realtime || paused) return;
    setProblem(undefined);
    const filters: Record<string, string[]> = {};
    if (applied.type) filters.type = [applied.type];
    if (applied.action) filters.event = applied.action.split(',').map((a) => a.trim()).filter(Boolean);
    if (applied.container) filters.container = [applied.container];
    let counter = Date.now();
    return realtime.subscribe('events', () => ({ env, filters }), {
      onMessage: ({ event }) => setRows((old) => [...old.slice(-(KEEP - 1)), { key: counter++, event }]),
      onError: (message) => setProblem(message),
      onEnd: (reason) => setProblem(`The event stream ended${reason ? `: ${reason}` : ''}.`),
    });
  }, [realtime, env, applied, paused]);

  const columns = useMemo<Column<Row>[]>(() => [
    { id: 'time', header: 'Time', width: '12rem', sortValue: (r) => r.event.timeNano, cell: (r) => <span className="font-mono text-xs">{new Date(r.event.timeNano / 1e6).toLocaleTimeString(undefined, { hour12: false })}.{String(Math.floor((r.event.timeNano / 1e6) % 1000)).padStart(3, '0')}</span> },
    { id: 'type', header: 'Type', width: '7rem', sortValue: (r) => r.event.Type, cell: (r) => r.event.Type },
    { id: 'action', header: 'Action', width: '9rem', sortValue: (r) => r.event.Action, cell: (r) => <Badge tone={tones[r.event.Action.split(':')[0]!] ?? 'neutral'}>{r.event.Action}</Badge> },
    { id: 'actor', header: 'Object', width: 'minmax(10rem, 2fr)', sortValue: (r) => r.event.Actor.Attributes?.name ?? r.event.Actor.ID, cell: (r) => <span title={r.event.Actor.ID}>{r.event.Actor.Attributes?.name ?? r.event.Actor.ID.slice(0, 12)}</span> },
    {
      id: 'attrs', header: 'Attributes', width: 'minmax(16rem, 4fr)',
      cell: (r) => <span className="font-mono text-xs" title={Object.entries(r.event.Actor.Attributes ?? {}).map(([k, v]) => `${k}=${v}`).join('\n')}>{Object.entries(r.event.Actor.Attributes ?? {}).filter(([k]) => k !== 'name').map(([k, v]) => `${k}=${v}`).join(', ')}</span>,
    },
  ], []);

  return (
    <>
      <PageHeader title="Events" subtitle={`Live from environment ${env}; the last ${KEEP.toLocaleString()} are kept`}
        actions={<>
          <Button onClick={() => setPaused((p) => !p)} aria-pressed={paused}>{paused ? 'Resume' : 'Pause'}</Button>
          <Button onClick={() => setRows([])}>Clear</Button>
        </>} />
      <form className="mb-3 flex flex-wrap items-end gap-2 text-sm" onSubmit={(e) => { e.preventDefault(); setRows([]); setApplied({ type, action, container }); }}>
        <label className="flex flex-col text-xs text-muted">Type
          <select value={type} onChange={(e) => setType(e.target.value)} className={`${inputBase} w-36`}>
            <option value="">all</option>
            {TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <label className="flex flex-col text-xs text-muted">Actions
          <input value={action} onChange={(e) => setAction(e.target.value)} placeholder="e.g. start,die" className={`${inputBase} w-48`} />
        </label>
        <label className="flex flex-col text-xs text-muted">Container
          <input value={container} onChange={(e) => setContainer(e.target.value)} placeholder="name or id" className={`${inputBase} w-48`} />
        </label>
        <Button type="submit">Apply filters</Button>
      </form>
      {problem && <ErrorBox error={problem} />}
      <ResourceTable<Row> label="events" rows={rows} columns={columns} rowId={(r) => String(r.key)}
        searchText={(r) => `${r.event.Type} ${r.event.Action} ${r.event.Actor.ID} ${Object.values(r.event.Actor.Attributes ?? {}).join(' ')}`}
        initialSort={{ column: 'time', desc: true }} rowHeight={36}
        empty={<p className="p-6 text-center text-sm text-muted">{paused ? 'Paused.' : 'Waiting for events… Start or stop a container to see some.'}</p>} />
    </>
  );
}
