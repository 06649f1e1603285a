'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { LOCAL_ENVIRONMENT_ID } from '@/server/protocol/index.ts';
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../api/client.ts';
import { containers, volumes } from '../api/docker.ts';
import type { Volume } from '../api/docker-types.ts';
import { runPool } from '../containers/actions.ts';
import { containerName } from '../containers/status.ts';
import { formatAgo, formatBytes } from '../format.ts';
import { qk } from '../query-keys.ts';
import { useEnv } from '../shell/env.tsx';
import { useCanWrite } from '../shell/session.tsx';
import { Badge } from '../ui/badge.tsx';
import { Button, buttonClass } from '../ui/button.tsx';
import { useConfirm } from '../ui/confirm.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { TextAreaField, TextField } from '../ui/field.tsx';
import { ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { ResourceTable, type Column } from '../ui/resource-table.tsx';
import { useToast } from '../ui/toasts.tsx';

export function VolumesList() {
  const env = useEnv();
  const canWrite = useCanWrite();
  const toast = useToast();
  const confirm = useConfirm();
  const client = useQueryClient();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const list = useQuery({ queryKey: qk.volumeList(env), queryFn: () => volumes.list(env) });
  const ctrs = useQuery({ queryKey: qk.containerList(env), queryFn: () => containers.list(env) });

  const usedBy = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const c of ctrs.data ?? []) {
      for (const m of c.Mounts ?? []) if (m.Type === 'volume' && m.Name) map.set(m.Name, [...(map.get(m.Name) ?? []), containerName(c)]);
    }
    return map;
  }, [ctrs.data]);

  const refresh = () => void client.invalidateQueries({ queryKey: qk.volumes(env) });

  const remove = async (targets: Volume[]) => {
    const answer = await confirm({
      title: `Remove ${targets.length} volume${targets.length === 1 ? '' : 's'}?`,
      message: <p className="break-words">The data in {targets.map((t) => t.Name).join(', ')} is deleted for good.</p>,
      confirmLabel: 'Remove', danger: true,
      option: { label: 'Force', initial: false },
    });
    if (!answer.confirmed) return;
    setBusy(true);
    const failures = await runPool(targets, 4, (t) => volumes.remove(env, t.Name, answer.option));
    setBusy(false);
    refresh();
    if (failures.length < targets.length) toast.success(`Removed ${targets.length - failures.length} volume${targets.length - failures.length === 1 ? '' : 's'}`);
    for (const f of failures.slice(0, 5)) toast.error(`${f.item.Name}: ${messageOf(f.error)}`);
    setSelected(new Set());
  };

  const prune = async () => {
    const answer = await confirm({ title: 'Remove all unused volumes?', message: 'Every volume no container uses is deleted with its data.', confirmLabel: 'Prune', danger: true });
    if (!answer.confirmed) return;
    try {
      const res = await volumes.prune(env);
      toast.success(`Removed ${res.VolumesDeleted?.length ?? 0} volumes, reclaimed ${formatBytes(res.SpaceReclaimed)}`);
    } catch (err) {
      toast.error(`Prune failed: ${messageOf(err)}`);
    }
    refresh();
  };

  const columns: Column<Volume>[] = [
    { id: 'name', header: 'Name', width: 'minmax(14rem, 3fr)', sortValue: (v) => v.Name, cell: (v) => (
        <span className="flex min-w-0 items-center gap-2">
          <span className="truncate font-medium" title={v.Name} data-volume={v.Name}>{v.Name}</span>
          {isAnonymous(v) && <span data-anonymous={v.Name}><Badge title="Created for a container's VOLUME or unnamed mount; removed with the container by rm -v">anonymous</Badge></span>}
        </span>
      ) },
    { id: 'driver', header: 'Driver', width: '7rem', sortValue: (v) => v.Driver, cell: (v) => v.Driver },
    { id: 'mount', header: 'Mount point', width: 'minmax(12rem, 3fr)', cell: (v) => <span className="font-mono text-xs" title={v.Mountpoint}>{v.Mountpoint}</span> },
    { id: 'created', header: 'Created', width: '8rem', sortValue: (v) => v.CreatedAt ?? '', cell: (v) => <span className="text-muted">{formatAgo(v.CreatedAt)}</span> },
    {
      id: 'used', header: 'Used by', width: 'minmax(10rem, 2fr)', sortValue: (v) => usedBy.get(v.Name)?.length ?? 0,
      cell: (v) => {
        const users = usedBy.get(v.Name);
        return users ? <span title={users.join(', ')}><Badge tone="success">{users.length}</Badge> {users.join(', ')}</span> : <span className="text-muted">unused</span>;
      },
    },
    // Only the embedded engine's volumes are on this host; the Docker API cannot read files.
    ...(env === LOCAL_ENVIRONMENT_ID ? [{
      id: 'browse', header: '', width: '6rem',
      cell: (v: Volume) => <Link prefetch={false} href={`/volumes/${encodeURIComponent(v.Name)}`} className={buttonClass('default', 'sm')} data-browse={v.Name}>Browse</Link>,
    }] : []),
  ];

  return (
    <>
      <PageHeader title="Volumes" subtitle={`Environment ${env}`}
        actions={canWrite && <>
          <Button variant="primary" onClick={() => setCreating(true)}>Create volume</Button>
          <Button variant="danger" onClick={() => void prune()}>Prune unused</Button>
        </>} />
      {list.error && <ErrorBox error={list.error} what="volumes" />}
      {list.isPending && <Loading what="volumes" />}
      {list.data?.Warnings?.map((w) => <p key={w} className="mb-2 text-sm text-warning">{w}</p>)}
      {list.data && (
        <ResourceTable<Volume> label="volumes" rows={list.data.Volumes ?? []} columns={columns} rowId={(v) => v.Name} rowLabel={(v) => v.Name}
          searchText={(v) => `${v.Name} ${v.Driver} ${Object.entries(v.Labels ?? {}).flat().join(' ')}`}
          selectable={canWrite} selected={selected} onSelectedChange={setSelected} initialSort={{ column: 'name' }}
          toolbar={(chosen) => canWrite && <Button size="sm" variant="danger" disabled={chosen.length === 0} busy={busy} onClick={() => void remove(chosen)}>Remove selected</Button>} />
      )}
      {creating && <CreateVolume env={env} onClose={() => { setCreating(false); refresh(); }} />}
    </>
  );
}

/** Docker marks volumes made without a name (image VOLUMEs, `-v /path`) with this label. */
const isAnonymous = (v: Volume): boolean => Object.hasOwn(v.Labels ?? {}, 'com.docker.volume.anonymous');

function parseLines(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const at = line.indexOf('=');
    if (at <= 0) return `"${line}" is not key=value`;
    out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

function CreateVolume({ env, onClose }: { env: string; onClose: () => void }) {
  const toast = useToast();
  const [name, setName] = useState('');
  const [driver, setDriver] = useState('local');
  const [labels, setLabels] = useState('');
  const [opts, setOpts] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (name && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name)) found.name = 'names are 2+ characters of a-z A-Z 0-9 _ . -';
    const parsedLabels = parseLines(labels);
    const parsedOpts = parseLines(opts);
    if (typeof parsedLabels === 'string') found.labels = parsedLabels;
    if (typeof parsedOpts === 'string') found.opts = parsedOpts;
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const v = await volumes.create(env, { Name: name || undefined, Driver: driver || 'local', Labels: parsedLabels as Record<string, string>, DriverOpts: parsedOpts as Record<string, string> });
      toast.success(`Created volume ${v.Name}`);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.field) setErrors({ [err.field === 'Name' ? 'name' : err.field]: err.message });
      else setErrors({ name: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} title="Create a volume"
      footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" form="volume-form" variant="primary" busy={busy}>Create</Button></>}>
      <form id="volume-form" onSubmit={submit} noValidate className="space-y-3">
        <TextField label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} placeholder="random if empty" autoFocus />
        <TextField label="Driver" value={driver} onChange={(e) => setDriver(e.target.value)} />
        <TextAreaField label="Driver options (key=value per line)" rows={3} value={opts} onChange={(e) => setOpts(e.target.value)} error={errors.opts} />
        <TextAreaField label="Labels (key=value per line)" rows={3} value={labels} onChange={(e) => setLabels(e.target.value)} error={errors.labels} />
      </form>
    </Dialog>
  );
}
