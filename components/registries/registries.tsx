'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Registry, RegistryTestResult } from '@/server/protocol/index.ts';
import { api, messageOf } from '../api/client.ts';
import { qk } from '../query-keys.ts';
import { useIsAdmin } from '../shell/session.tsx';
import { Badge } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { useConfirm } from '../ui/confirm.tsx';
import { ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { ResourceTable, type Column } from '../ui/resource-table.tsx';
import { useToast } from '../ui/toasts.tsx';
import { RegistryForm } from './registry-form.tsx';

/** Registries whose credentials the dashboard keeps, for pulls and pushes it makes. */
export function RegistriesView() {
  const admin = useIsAdmin();
  const toast = useToast();
  const confirm = useConfirm();
  const client = useQueryClient();
  const [editing, setEditing] = useState<Registry | 'new' | undefined>();
  const list = useQuery({ queryKey: qk.registries(), queryFn: () => api<Registry[]>('/api/registries') });
  const refresh = () => void client.invalidateQueries({ queryKey: qk.registries() });

  const test = async (r: Registry) => {
    try {
      const res = await api<RegistryTestResult>(`/api/registries/${encodeURIComponent(r.id)}/test`, { method: 'POST' });
      if (res.ok) toast.success(`${r.name}: ${res.message}`);
      else toast.error(`${r.name}: ${res.message}`);
    } catch (err) {
      toast.error(`Cannot test ${r.name}: ${messageOf(err)}`);
    }
  };

  const remove = async (r: Registry) => {
    const answer = await confirm({ title: `Remove ${r.name}?`, message: 'Wharf forgets these credentials; images pulled with them stay.', confirmLabel: 'Remove', danger: true });
    if (!answer.confirmed) return;
    try {
      await api(`/api/registries/${encodeURIComponent(r.id)}`, { method: 'DELETE' });
      toast.success(`Removed ${r.name}`);
    } catch (err) {
      toast.error(`Cannot remove ${r.name}: ${messageOf(err)}`);
    }
    refresh();
  };

  const columns: Column<Registry>[] = [
    { id: 'name', header: 'Name', width: 'minmax(10rem, 2fr)', sortValue: (r) => r.name, cell: (r) => <span className="font-medium">{r.name}</span> },
    { id: 'address', header: 'Registry', width: 'minmax(12rem, 3fr)', sortValue: (r) => r.address, cell: (r) => <span className="font-mono text-xs">{r.address}</span> },
    { id: 'user', header: 'User', width: 'minmax(8rem, 1fr)', cell: (r) => r.username || <span className="text-muted">anonymous</span> },
    { id: 'password', header: 'Password', width: '7rem', cell: (r) => <Badge tone={r.hasPassword ? 'success' : 'neutral'}>{r.hasPassword ? 'stored' : 'none'}</Badge> },
    {
      id: 'actions', header: '', width: '14rem',
      cell: (r) => admin && (
        <span className="flex gap-1">
          <Button size="sm" onClick={() => void test(r)}>Test</Button>
          <Button size="sm" onClick={() => setEditing(r)}>Edit</Button>
          <Button size="sm" variant="danger" onClick={() => void remove(r)}>Remove</Button>
        </span>
      ),
    },
  ];

  return (
    <>
      <PageHeader title="Registries" subtitle="Docker Hub or any v2 registry; pulls and pushes from this dashboard use the credentials stored here"
        actions={admin && <Button variant="primary" onClick={() => setEditing('new')}>Add registry</Button>} />
      {list.error && <ErrorBox error={list.error} what="registries" />}
      {list.isPending && <Loading what="registries" />}
      {list.data && <ResourceTable<Registry> label="registries" rows={list.data} columns={columns} rowId={(r) => r.id} searchText={(r) => `${r.name} ${r.address} ${r.username}`} initialSort={{ column: 'name' }} />}
      {editing && <RegistryForm registry={editing === 'new' ? undefined : editing} onClose={() => { setEditing(undefined); refresh(); }} />}
    </>
  );
}
