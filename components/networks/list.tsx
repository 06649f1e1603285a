'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { messageOf } from '../api/client.ts';
import { containers, networks } from '../api/docker.ts';
import type { Network } from '../api/docker-types.ts';
import { runPool } from '../containers/actions.ts';
import { containerName } from '../containers/status.ts';
import { formatAgo } from '../format.ts';
import { qk } from '../query-keys.ts';
import { useEnv } from '../shell/env.tsx';
import { useCanWrite } from '../shell/session.tsx';
import { Badge } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { useConfirm } from '../ui/confirm.tsx';
import { ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { ResourceTable, type Column } from '../ui/resource-table.tsx';
import { useToast } from '../ui/toasts.tsx';
import { CreateNetwork } from './create.tsx';
import { NetworkDetails } from './details.tsx';

/** Networks every engine creates; they cannot be removed. */
const PREDEFINED = new Set(['bridge', 'host', 'none']);

export function NetworksList() {
  const env = useEnv();
  const canWrite = useCanWrite();
  const toast = useToast();
  const confirm = useConfirm();
  const client = useQueryClient();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [creating, setCreating] = useState(false);
  const [showing, setShowing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const list = useQuery({ queryKey: qk.networkList(env), queryFn: () => networks.list(env) });
  const ctrs = useQuery({ queryKey: qk.containerList(env), queryFn: () => containers.list(env) });

  // Who is on each network, with the address it has there, from the container list (one request, not one per network).
  const members = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const c of ctrs.data ?? []) {
      for (const [name, n] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
        const who = n.IPAddress ? `${containerName(c)} (${n.IPAddress})` : containerName(c);
        for (const key of new Set([name, n.NetworkID].filter(Boolean) as string[])) map.set(key, [...(map.get(key) ?? []), who]);
      }
    }
    return map;
  }, [ctrs.data]);
  const membersOf = (n: Network) => members.get(n.Id) ?? members.get(n.Name) ?? [];

  const remove = async (targets: Network[]) => {
    const answer = await confirm({ title: `Remove ${targets.length} network${targets.length === 1 ? '' : 's'}?`, message: <p className="break-words">{targets.map((t) => t.Name).join(', ')}</p>, confirmLabel: 'Remove', danger: true });
    if (!answer.confirmed) return;
    setBusy(true);
    const failures = await runPool(targets, 4, (t) => networks.remove(env, t.Id));
    setBusy(false);
    void client.invalidateQueries({ queryKey: qk.networks(env) });
    if (failures.length < targets.length) toast.success(`Removed ${targets.length - failures.length} network${targets.length - failures.length === 1 ? '' : 's'}`);
    for (const f of failures.slice(0, 5)) toast.error(`${f.item.Name}: ${messageOf(f.error)}`);
    setSelected(new Set());
  };

  const columns: Column<Network>[] = [
    { id: 'name', header: 'Name', width: 'minmax(12rem, 2fr)', sortValue: (n) => n.Name, cell: (n) => <button type="button" className="font-medium text-accent hover:underline" onClick={() => setShowing(n.Id)} data-network={n.Name}>{n.Name}</button> },
    { id: 'driver', header: 'Driver', width: '6rem', sortValue: (n) => n.Driver, cell: (n) => n.Driver },
    { id: 'scope', header: 'Scope', width: '5rem', sortValue: (n) => n.Scope, cell: (n) => n.Scope },
    { id: 'subnet', header: 'Subnet', width: 'minmax(9rem, 1fr)', cell: (n) => <span className="font-mono text-xs" data-network-subnet={n.Name}>{(n.IPAM.Config ?? []).map((c) => c.Subnet).filter(Boolean).join(', ') || '—'}</span> },
    { id: 'gateway', header: 'Gateway', width: 'minmax(8rem, 1fr)', cell: (n) => <span className="font-mono text-xs">{(n.IPAM.Config ?? []).map((c) => c.Gateway).filter(Boolean).join(', ') || '—'}</span> },
    { id: 'flags', header: 'Flags', width: '8rem', cell: (n) => <span className="flex gap-1">{n.Internal && <Badge>internal</Badge>}{PREDEFINED.has(n.Name) && <Badge tone="info">system</Badge>}</span> },
    { id: 'containers', header: 'Containers', width: 'minmax(9rem, 2fr)', sortValue: (n) => membersOf(n).length, cell: (n) => { const m = membersOf(n); return m.length ? <span title={m.join(', ')} data-network-members={n.Name}>{m.length}: {m.join(', ')}</span> : <span className="text-muted">none</span>; } },
    { id: 'created', header: 'Created', width: '8rem', sortValue: (n) => n.Created, cell: (n) => <span className="text-muted">{formatAgo(n.Created)}</span> },
  ];

  return (
    <>
      <PageHeader title="Networks" subtitle={`Environment ${env}`} actions={canWrite && <Button variant="primary" onClick={() => setCreating(true)}>Create network</Button>} />
      {list.error && <ErrorBox error={list.error} what="networks" />}
      {list.isPending && <Loading what="networks" />}
      {list.data && (
        <ResourceTable<Network> label="networks" rows={list.data} columns={columns} rowId={(n) => n.Id} rowLabel={(n) => n.Name}
          searchText={(n) => `${n.Name} ${n.Driver} ${n.Id} ${(n.IPAM.Config ?? []).map((c) => c.Subnet).join(' ')}`}
          selectable={canWrite} selected={selected} onSelectedChange={setSelected} initialSort={{ column: 'name' }}
          toolbar={(chosen) => canWrite && (
            <Button size="sm" variant="danger" disabled={chosen.length === 0 || chosen.some((n) => PREDEFINED.has(n.Name))} busy={busy} onClick={() => void remove(chosen)}>Remove selected</Button>
          )} />
      )}
      {creating && <CreateNetwork env={env} onClose={() => { setCreating(false); void client.invalidateQueries({ queryKey: qk.networks(env) }); }} />}
      {showing && <NetworkDetails env={env} id={showing} onClose={() => setShowing(null)} />}
    </>
  );
}
