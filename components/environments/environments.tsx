'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { createEnvironmentRequestSchema, type Environment } from '@/server/protocol/index.ts';
import { api, ApiError, messageOf } from '../api/client.ts';
import { qk } from '../query-keys.ts';
import { useEnv, useSetEnv } from '../shell/env.tsx';
import { useEnvironments } from '../shell/env-switcher.tsx';
import { useIsAdmin } from '../shell/session.tsx';
import { Badge } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { useConfirm } from '../ui/confirm.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { TextField } from '../ui/field.tsx';
import { ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { ResourceTable, type Column } from '../ui/resource-table.tsx';
import { useToast } from '../ui/toasts.tsx';
import { fieldErrors, type FieldErrors } from '../ui/zod-errors.ts';

export function EnvironmentsView() {
  const current = useEnv();
  const setEnv = useSetEnv();
  const admin = useIsAdmin();
  const toast = useToast();
  const confirm = useConfirm();
  const client = useQueryClient();
  const [adding, setAdding] = useState(false);
  const envs = useEnvironments();
  const refresh = () => void client.invalidateQueries({ queryKey: qk.environments() });

  const remove = async (e: Environment) => {
    const answer = await confirm({ title: `Remove ${e.name}?`, message: 'Wharf forgets this endpoint; the engine behind it and its containers are not touched.', confirmLabel: 'Remove', danger: true });
    if (!answer.confirmed) return;
    try {
      await api(`/api/environments/${encodeURIComponent(e.id)}`, { method: 'DELETE' });
      toast.success(`Removed ${e.name}`);
      if (current === e.id) setEnv('local');
    } catch (err) {
      toast.error(`Cannot remove ${e.name}: ${messageOf(err)}`);
    }
    refresh();
  };

  const columns: Column<Environment>[] = [
    { id: 'name', header: 'Name', width: 'minmax(10rem, 2fr)', sortValue: (e) => e.name, cell: (e) => <span className="font-medium">{e.name} {e.id === current && <Badge tone="accent">current</Badge>}</span> },
    { id: 'type', header: 'Type', width: '8rem', sortValue: (e) => e.type, cell: (e) => (e.type === 'embedded' ? 'Wharf engine' : 'Docker API') },
    { id: 'url', header: 'Endpoint', width: 'minmax(12rem, 3fr)', cell: (e) => <span className="font-mono text-xs">{e.url ?? 'in this process'}</span> },
    { id: 'status', header: 'Status', width: '6rem', sortValue: (e) => e.status, cell: (e) => <Badge tone={e.status === 'up' ? 'success' : 'danger'}>{e.status}</Badge> },
    {
      id: 'actions', header: '', width: '12rem',
      cell: (e) => (
        <span className="flex gap-1">
          <Button size="sm" disabled={e.id === current} onClick={() => { setEnv(e.id); toast.info(`Now showing ${e.name}`); }}>Use</Button>
          {admin && e.type !== 'embedded' && <Button size="sm" variant="danger" onClick={() => void remove(e)}>Remove</Button>}
        </span>
      ),
    },
  ];

  return (
    <>
      <PageHeader title="Environments" subtitle="Engines this dashboard manages, each through its Docker Engine API"
        actions={admin && <Button variant="primary" onClick={() => setAdding(true)}>Add environment</Button>} />
      {envs.error && <ErrorBox error={envs.error} what="environments" />}
      {envs.isPending && <Loading what="environments" />}
      {envs.data && <ResourceTable<Environment> label="environments" rows={envs.data} columns={columns} rowId={(e) => e.id} searchText={(e) => `${e.name} ${e.url ?? ''}`} initialSort={{ column: 'name' }} />}
      {adding && <AddEnvironment onClose={() => { setAdding(false); refresh(); }} />}
    </>
  );
}

function AddEnvironment({ onClose }: { onClose: () => void }) {
  const toast = useToast();
  const [v, setV] = useState({ name: '', url: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = createEnvironmentRequestSchema.safeParse(v);
    setErrors(parsed.success ? {} : fieldErrors(parsed.error));
    if (!parsed.success) return;
    setBusy(true);
    try {
      await api('/api/environments', { method: 'POST', body: parsed.data });
      toast.success(`Added ${v.name}`);
      onClose();
    } catch (err) {
      setErrors({ [err instanceof ApiError && err.field ? err.field : 'url']: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} title="Add an environment" footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" form="env-form" variant="primary" busy={busy}>Add</Button></>}>
      <form id="env-form" onSubmit={submit} noValidate className="space-y-3">
        <TextField label="Name" value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} error={errors.name} autoFocus />
        <TextField label="Docker API endpoint" value={v.url} onChange={(e) => setV({ ...v, url: e.target.value })} error={errors.url}
          placeholder="unix:///var/run/docker.sock or tcp://10.0.0.5:2375" hint="A local socket, or a TCP/HTTP(S) address the server can reach." />
      </form>
    </Dialog>
  );
}
