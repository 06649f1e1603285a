'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../api/client.ts';
import { containers, networks } from '../api/docker.ts';
import type { Network } from '../api/docker-types.ts';
import { runPool } from '../containers/actions.ts';
import { containerName } from '../containers/status.ts';
import { formatAgo, shortId } from '../format.ts';
import { qk } from '../query-keys.ts';
import { useEnv } from '../shell/env.tsx';
import { useCanWrite } from '../shell/session.tsx';
import { Badge } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { useConfirm } from '../ui/confirm.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Checkbox, SelectField, TextField } from '../ui/field.tsx';
import { ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { ResourceTable, type Column } from '../ui/resource-table.tsx';
import { SimpleTable } from '../ui/resource-details.tsx';
import { useToast } from '../ui/toasts.tsx';

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

  const members = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const c of ctrs.data ?? []) {
      for (const [name, n] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
        for (const key of [name, n.NetworkID].filter(Boolean) as string[]) map.set(key, [...(map.get(key) ?? []), containerName(c)]);
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
    { id: 'driver', header: 'Driver', width: '7rem', sortValue: (n) => n.Driver, cell: (n) => n.Driver },
    { id: 'subnet', header: 'Subnet', width: 'minmax(9rem, 1fr)', cell: (n) => <span className="font-mono text-xs">{(n.IPAM.Config ?? []).map((c) => c.Subnet).filter(Boolean).join(', ') || '—'}</span> },
    { id: 'gateway', header: 'Gateway', width: 'minmax(8rem, 1fr)', cell: (n) => <span className="font-mono text-xs">{(n.IPAM.Config ?? []).map((c) => c.Gateway).filter(Boolean).join(', ') || '—'}</span> },
    { id: 'flags', header: 'Flags', width: '8rem', cell: (n) => <span className="flex gap-1">{n.Internal && <Badge>internal</Badge>}{PREDEFINED.has(n.Name) && <Badge tone="info">system</Badge>}</span> },
    { id: 'containers', header: 'Containers', width: 'minmax(9rem, 2fr)', sortValue: (n) => membersOf(n).length, cell: (n) => { const m = membersOf(n); return m.length ? <span title={m.join(', ')}>{m.length}: {m.join(', ')}</span> : <span className="text-muted">none</span>; } },
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

const IPV6 = /^[\da-fA-F:]+$/;

/** An IPv4 address as a number, or undefined when it is not one. */
function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function isCidr(text: string): boolean {
  const [address = '', bits = '', extra] = text.split('/');
  if (extra !== undefined || !/^\d{1,3}$/.test(bits)) return false;
  return ipv4(address) !== undefined ? Number(bits) <= 32 : IPV6.test(address) && Number(bits) <= 128;
}

/** Whether an IPv4 address lies in an IPv4 subnet; IPv6 is left to the engine. */
function inSubnet(ip: string, cidr: string): boolean {
  const [address = '', bits = '0'] = cidr.split('/');
  const a = ipv4(ip);
  const net = ipv4(address);
  if (a === undefined || net === undefined) return IPV6.test(ip) && !ipv4(address);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(a / size) === Math.floor(net / size);
}

function CreateNetwork({ env, onClose }: { env: string; onClose: () => void }) {
  const toast = useToast();
  const [v, setV] = useState({ name: '', driver: 'bridge', subnet: '', gateway: '', ipRange: '', internal: false });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(v.name)) found.name = 'a name of a-z A-Z 0-9 _ . -';
    if (v.subnet && !isCidr(v.subnet)) found.subnet = 'a subnet in CIDR notation, e.g. 172.30.0.0/16';
    if (v.gateway && !v.subnet) found.gateway = 'a gateway needs a subnet';
    else if (v.gateway && !found.subnet && !inSubnet(v.gateway, v.subnet)) found.gateway = 'an IP address inside the subnet';
    if (v.ipRange && !isCidr(v.ipRange)) found.ipRange = 'a range in CIDR notation';
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await networks.create(env, {
        Name: v.name, Driver: v.driver, Internal: v.internal, CheckDuplicate: true,
        IPAM: v.subnet ? { Driver: 'default', Config: [{ Subnet: v.subnet, Gateway: v.gateway || undefined, IPRange: v.ipRange || undefined }] } : undefined,
      });
      toast.success(`Created network ${v.name}`);
      onClose();
    } catch (err) {
      const message = messageOf(err);
      const field = err instanceof ApiError && err.field ? (/Gateway/i.test(err.field) ? 'gateway' : /Subnet|IPAM/i.test(err.field) ? 'subnet' : 'name')
        : /gateway/i.test(message) ? 'gateway' : /subnet|pool|overlap/i.test(message) ? 'subnet' : 'name';
      setErrors({ [field]: message });
    } finally {
      setBusy(false);
    }
  };
  const set = (key: 'name' | 'driver' | 'subnet' | 'gateway' | 'ipRange') => (e: { target: { value: string } }) => setV((o) => ({ ...o, [key]: e.target.value }));

  return (
    <Dialog open onClose={onClose} title="Create a network"
      footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" form="network-form" variant="primary" busy={busy}>Create</Button></>}>
      <form id="network-form" onSubmit={submit} noValidate className="grid gap-3 md:grid-cols-2">
        <TextField label="Name" name="name" value={v.name} onChange={set('name')} error={errors.name} autoFocus />
        <SelectField label="Driver" value={v.driver} onChange={set('driver')}>
          <option value="bridge">bridge</option><option value="macvlan">macvlan</option><option value="ipvlan">ipvlan</option>
        </SelectField>
        <TextField label="Subnet" name="subnet" value={v.subnet} onChange={set('subnet')} error={errors.subnet} placeholder="automatic" />
        <TextField label="Gateway" name="gateway" value={v.gateway} onChange={set('gateway')} error={errors.gateway} placeholder="first address" />
        <TextField label="IP range" value={v.ipRange} onChange={set('ipRange')} error={errors.ipRange} placeholder="the whole subnet" />
        <Checkbox className="self-end pb-2" label="Internal (no outside access)" checked={v.internal} onChange={(e) => setV((o) => ({ ...o, internal: e.target.checked }))} />
      </form>
    </Dialog>
  );
}

function NetworkDetails({ env, id, onClose }: { env: string; id: string; onClose: () => void }) {
  const net = useQuery({ queryKey: qk.network(env, id), queryFn: () => networks.inspect(env, id) });
  const n = net.data;
  return (
    <Dialog open onClose={onClose} title={n ? `Network ${n.Name}` : 'Network'} wide footer={<Button onClick={onClose}>Close</Button>}>
      {net.error && <ErrorBox error={net.error} what="the network" />}
      {!n && !net.error && <Loading what="the network" />}
      {n && (
        <div className="space-y-4 text-sm">
          <p className="font-mono text-xs break-all text-muted">{n.Id}</p>
          <p>Driver {n.Driver}, scope {n.Scope}{n.Internal ? ', internal' : ''}. {(n.IPAM.Config ?? []).map((c) => `${c.Subnet ?? ''}${c.Gateway ? ` via ${c.Gateway}` : ''}`).join('; ')}</p>
          <h3 className="font-semibold">Connected containers</h3>
          <SimpleTable headers={['Container', 'IPv4', 'IPv6', 'MAC']} empty="No container is connected."
            rows={Object.entries(n.Containers ?? {}).map(([cid, c]) => [
              <Link key="l" href={`/containers/${cid}`} className="text-accent hover:underline" onClick={onClose}>{c.Name || shortId(cid)}</Link>,
              <span key="4" className="font-mono text-xs">{c.IPv4Address || '—'}</span>,
              <span key="6" className="font-mono text-xs">{c.IPv6Address || '—'}</span>,
              <span key="m" className="font-mono text-xs">{c.MacAddress || '—'}</span>,
            ])} />
        </div>
      )}
    </Dialog>
  );
}
