'use client';

import { useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../api/client.ts';
import { RowInput, RowsEditor } from '../containers/create/rows.tsx';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Checkbox, SelectField, TextField } from '../ui/field.tsx';
import { useToast } from '../ui/toasts.tsx';
import { networkVerbs } from './api.ts';
import { inSubnet, isCidr, isIP } from './ip.ts';

interface Values { name: string; driver: string; subnet: string; gateway: string; ipRange: string; internal: boolean; labels: { key: string; value: string }[] }

/** Every message names its field, so it is shown right there. */
export function validateNetwork(v: Values): Record<string, string> {
  const found: Record<string, string> = {};
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(v.name)) found.name = 'a name of a-z A-Z 0-9 _ . -';
  if (v.subnet && !isCidr(v.subnet)) found.subnet = 'a subnet in CIDR notation, e.g. 172.30.0.0/16';
  if (v.gateway && !v.subnet) found.gateway = 'a gateway needs a subnet';
  else if (v.gateway && (!isIP(v.gateway) || (!found.subnet && !inSubnet(v.gateway, v.subnet)))) found.gateway = 'an IP address inside the subnet';
  if (v.ipRange && !v.subnet) found.ipRange = 'an IP range needs a subnet';
  else if (v.ipRange && !isCidr(v.ipRange)) found.ipRange = 'a range in CIDR notation, e.g. 172.30.5.0/24';
  else if (v.ipRange && !found.subnet && !inSubnet(v.ipRange.split('/')[0]!, v.subnet)) found.ipRange = 'a range inside the subnet';
  v.labels.forEach((l, i) => {
    if (!l.key.trim()) found[`labels.${i}.key`] = 'the label needs a name';
    else if (v.labels.findIndex((o) => o.key.trim() === l.key.trim()) !== i) found[`labels.${i}.key`] = 'this label is set above';
  });
  return found;
}

/** Where a server error belongs: the field it names, else words of dockerd's messages. */
function fieldOf(err: unknown): string {
  const message = messageOf(err);
  if (err instanceof ApiError && err.field) return /Gateway/i.test(err.field) ? 'gateway' : /IPRange/i.test(err.field) ? 'ipRange' : /Subnet|IPAM/i.test(err.field) ? 'subnet' : 'name';
  return /gateway/i.test(message) ? 'gateway' : /range/i.test(message) ? 'ipRange' : /subnet|pool|overlap/i.test(message) ? 'subnet' : 'name';
}

export function CreateNetwork({ env, onClose }: { env: string; onClose: () => void }) {
  const toast = useToast();
  const [v, setV] = useState<Values>({ name: '', driver: 'bridge', subnet: '', gateway: '', ipRange: '', internal: false, labels: [] });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateNetwork(v);
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await networkVerbs.create(env, {
        Name: v.name, Driver: v.driver, Internal: v.internal, CheckDuplicate: true,
        IPAM: v.subnet ? { Driver: 'default', Config: [{ Subnet: v.subnet, ...(v.gateway ? { Gateway: v.gateway } : {}), ...(v.ipRange ? { IPRange: v.ipRange } : {}) }] } : undefined,
        Labels: v.labels.length ? Object.fromEntries(v.labels.map((l) => [l.key.trim(), l.value])) : undefined,
      });
      toast.success(`Created network ${v.name}`);
      onClose();
    } catch (err) {
      setErrors({ [fieldOf(err)]: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };
  const set = (key: 'name' | 'driver' | 'subnet' | 'gateway' | 'ipRange') => (e: { target: { value: string } }) => setV((o) => ({ ...o, [key]: e.target.value.trim() }));

  return (
    <Dialog open onClose={onClose} title="Create a network"
      footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" form="network-form" variant="primary" busy={busy}>Create</Button></>}>
      <form id="network-form" onSubmit={submit} noValidate className="grid gap-3 md:grid-cols-2">
        <TextField label="Name" name="name" value={v.name} onChange={set('name')} error={errors.name} autoFocus />
        <SelectField label="Driver" name="driver" value={v.driver} onChange={set('driver')}>
          <option value="bridge">bridge</option><option value="macvlan">macvlan</option><option value="ipvlan">ipvlan</option>
        </SelectField>
        <TextField label="Subnet" name="subnet" value={v.subnet} onChange={set('subnet')} error={errors.subnet} placeholder="automatic" />
        <TextField label="Gateway" name="gateway" value={v.gateway} onChange={set('gateway')} error={errors.gateway} placeholder="first address" />
        <TextField label="IP range" name="ipRange" value={v.ipRange} onChange={set('ipRange')} error={errors.ipRange} placeholder="the whole subnet" />
        <Checkbox className="self-end pb-2" name="internal" label="Internal (no outside access)" checked={v.internal} onChange={(e) => setV((o) => ({ ...o, internal: e.target.checked }))} />
        <div className="md:col-span-2">
          <p className="mb-1 text-xs font-medium text-muted">Labels</p>
          <RowsEditor rows={v.labels} onChange={(labels) => setV((o) => ({ ...o, labels }))} make={() => ({ key: '', value: '' })} addLabel="Label" empty="No labels."
            render={(row, i, update) => (
              <div className="grid grid-cols-[1fr_2fr] gap-2">
                <RowInput label={`Label ${i + 1} name`} placeholder="com.example.key" value={row.key} onChange={(key) => update({ key })} error={errors[`labels.${i}.key`]} name={`labels.${i}.key`} />
                <RowInput label={`Label ${i + 1} value`} placeholder="value" value={row.value} onChange={(value) => update({ value })} name={`labels.${i}.value`} />
              </div>
            )} />
        </div>
      </form>
    </Dialog>
  );
}
