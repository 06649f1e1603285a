'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ContainerInspect } from '../api/docker-types.ts';
import { messageOf } from '../api/client.ts';
import { networks } from '../api/docker.ts';
import { qk } from '../query-keys.ts';
import { useEnv } from '../shell/env.tsx';
import { useCanWrite } from '../shell/session.tsx';
import { Button } from '../ui/button.tsx';
import { SelectField, TextField } from '../ui/field.tsx';
import { SimpleTable } from '../ui/resource-details.tsx';
import { useToast } from '../ui/toasts.tsx';
import { badAlias, splitAliases } from './aliases.ts';
import { networkVerbs } from './api.ts';
import { ipv4, isIPv6 } from './ip.ts';
import type { EndpointSettingsFull } from './types.ts';

/** Modes that are not networks a container can be connected to or disconnected from. */
const NOT_CONNECTABLE = new Set(['host', 'none']);
const mono = 'font-mono text-xs';

/** A container's networks with their endpoint (IP, gateway, MAC, aliases), and connect / disconnect. */
export function ContainerNetworks({ c }: { c: ContainerInspect }) {
  const env = useEnv();
  const canWrite = useCanWrite();
  const toast = useToast();
  const client = useQueryClient();
  const [busy, setBusy] = useState('');
  const endpoints = Object.entries((c.NetworkSettings.Networks ?? {}) as Record<string, EndpointSettingsFull>);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: qk.container(env, c.Id) });
    void client.invalidateQueries({ queryKey: qk.networks(env) });
  };
  const disconnect = async (network: string) => {
    setBusy(network);
    try {
      await networkVerbs.disconnect(env, network, { Container: c.Id });
      toast.success(`Disconnected from ${network}`);
      refresh();
    } catch (err) {
      toast.error(`${network}: ${messageOf(err)}`);
    } finally {
      setBusy('');
    }
  };
  return (
    <div className="space-y-3" data-container-networks>
      <SimpleTable headers={['Network', 'IP address', 'Gateway', 'MAC', 'Aliases', ...(canWrite ? [''] : [])]} empty={`Network mode: ${c.HostConfig.NetworkMode ?? 'default'}`}
        rows={endpoints.map(([name, n]) => [
          <span key="n" data-endpoint={name}>{name}</span>,
          <span key="ip" className={mono} data-endpoint-ip={name}>{n.IPAddress ? `${n.IPAddress}/${n.IPPrefixLen}` : '—'}{n.IPAMConfig?.IPv4Address ? ' (fixed)' : ''}</span>,
          <span key="g" className={mono}>{n.Gateway || '—'}</span>,
          <span key="m" className={mono}>{n.MacAddress || '—'}</span>,
          <span key="a" className={mono} data-endpoint-aliases={name}>{(n.Aliases ?? []).join(', ') || '—'}</span>,
          ...(canWrite ? [NOT_CONNECTABLE.has(name) ? <span key="x" /> : (
            <Button key="d" size="sm" variant="danger" busy={busy === name} onClick={() => void disconnect(name)} data-disconnect={name}>Disconnect</Button>
          )] : []),
        ])} />
      {canWrite && !NOT_CONNECTABLE.has(c.HostConfig.NetworkMode ?? '') && !(c.HostConfig.NetworkMode ?? '').startsWith('container:') && (
        <ConnectForm env={env} container={c.Id} connected={endpoints.map(([name]) => name)} onDone={refresh} />
      )}
    </div>
  );
}

function ConnectForm({ env, container, connected, onDone }: { env: string; container: string; connected: string[]; onDone: () => void }) {
  const toast = useToast();
  const list = useQuery({ queryKey: qk.networkList(env), queryFn: () => networks.list(env) });
  const [v, setV] = useState({ network: '', aliases: '', ip: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const choices = (list.data ?? []).map((n) => n.Name).filter((n) => !NOT_CONNECTABLE.has(n) && !connected.includes(n)).sort();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!v.network) found.network = 'choose a network';
    const alias = badAlias(v.aliases);
    if (alias) found.aliases = `"${alias}" is not a name: letters, digits, . _ -`;
    const ip = v.ip.trim();
    if (ip && ipv4(ip) === undefined && !isIPv6(ip)) found.ip = 'an IPv4 or IPv6 address, or empty for the next free one';
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const aliases = splitAliases(v.aliases);
      const ipam = ip ? (ipv4(ip) !== undefined ? { IPv4Address: ip } : { IPv6Address: ip }) : undefined;
      await networkVerbs.connect(env, v.network, { Container: container, EndpointConfig: { ...(aliases.length ? { Aliases: aliases } : {}), ...(ipam ? { IPAMConfig: ipam } : {}) } });
      toast.success(`Connected to ${v.network}`);
      setV({ network: '', aliases: '', ip: '' });
      onDone();
    } catch (err) {
      const message = messageOf(err);
      setErrors({ [/address|ip|subnet|range/i.test(message) && ip ? 'ip' : /alias/i.test(message) ? 'aliases' : 'network']: message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate className="grid items-start gap-2 md:grid-cols-[1fr_1fr_1fr_auto]" data-connect-form>
      <SelectField label="Connect to network" name="connect-network" value={v.network} onChange={(e) => setV((o) => ({ ...o, network: e.target.value }))} error={errors.network}>
        <option value="">{choices.length ? 'choose…' : 'no other network'}</option>
        {choices.map((n) => <option key={n} value={n}>{n}</option>)}
      </SelectField>
      <TextField label="Aliases" name="connect-aliases" value={v.aliases} onChange={(e) => setV((o) => ({ ...o, aliases: e.target.value }))} error={errors.aliases} placeholder="web, api" />
      <TextField label="IP address" name="connect-ip" value={v.ip} onChange={(e) => setV((o) => ({ ...o, ip: e.target.value }))} error={errors.ip} placeholder="next free one" />
      <Button type="submit" className="mt-5" busy={busy}>Connect</Button>
    </form>
  );
}
