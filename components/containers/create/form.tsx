'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, messageOf } from '../../api/client.ts';
import { containers, images, networks } from '../../api/docker.ts';
import { PullProgress } from '../../images/pull-progress.tsx';
import { usePull } from '../../images/use-pull.ts';
import { qk } from '../../query-keys.ts';
import { useEnv } from '../../shell/env.tsx';
import { Button } from '../../ui/button.tsx';
import { Dialog } from '../../ui/dialog.tsx';
import { Checkbox, inputClass, SelectField, TextAreaField, TextField } from '../../ui/field.tsx';
import { Card, ErrorBox, Loading, PageHeader } from '../../ui/layout.tsx';
import { useToast } from '../../ui/toasts.tsx';
import { fieldErrors, type FieldErrors } from '../../ui/zod-errors.ts';
import { RowInput, RowsEditor } from './rows.tsx';
import { createSchema, emptyValues, RESTART_POLICIES, type CreateValues } from './schema.ts';
import { parseDotEnv } from './shell-words.ts';
import { fieldOfError, toCreateRequest, valuesFromInspect } from './to-body.ts';
import { replaceContainer } from './replace.ts';

/** Create a container, or (with ?from=<id>) duplicate or edit an existing one. */
export function CreateContainer() {
  const env = useEnv();
  const from = useSearchParams().get('from');
  const original = useQuery({ queryKey: qk.container(env, from ?? ''), queryFn: () => containers.inspect(env, from!), enabled: Boolean(from) });
  if (from && original.error) return <ErrorBox error={original.error} what="the container to duplicate" />;
  if (from && !original.data) return <Loading what="the container to duplicate" />;
  return <CreateForm key={original.data?.Id ?? 'new'} env={env} original={original.data ? { id: original.data.Id, name: original.data.Name.replace(/^\//, ''), running: original.data.State.Running, values: valuesFromInspect(original.data) } : undefined} />;
}

interface Original { id: string; name: string; running: boolean; values: CreateValues }

function CreateForm({ env, original }: { env: string; original?: Original }) {
  const router = useRouter();
  const toast = useToast();
  const client = useQueryClient();
  const { pull, state: pullState } = usePull(env);
  const [v, setValues] = useState<CreateValues>(() => original?.values ?? emptyValues());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState('');
  const [phase, setPhase] = useState('');
  const [pasteOpen, setPasteOpen] = useState(false);
  const [pasteText, setPasteText] = useState('');
  const [replace, setReplace] = useState(Boolean(original));
  const nets = useQuery({ queryKey: qk.networkList(env), queryFn: () => networks.list(env) });
  const set = <K extends keyof CreateValues>(key: K, value: CreateValues[K]) => setValues((old) => ({ ...old, [key]: value }));
  const text = (key: keyof CreateValues) => (e: { target: { value: string } }) => set(key, e.target.value as never);
  const err = (path: string) => errors[path];

  const replacing = Boolean(original && replace && v.name.trim() === original.name);

  useEffect(() => {
    // Jump to the first message so it is seen on a long form.
    if (Object.keys(errors).length) document.querySelector('[data-field-error]')?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [errors]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError('');
    const parsed = createSchema.safeParse(v);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    const request = toCreateRequest(v);
    const fail = (error: unknown) => {
      const message = messageOf(error);
      const field = fieldOfError(request.fieldMap, error instanceof ApiError ? error.field : undefined, message, v);
      if (field) setErrors({ [field]: message });
      else setFormError(message);
      setPhase('');
    };
    try {
      setPhase('Checking the image…');
      const present = v.alwaysPull ? false : await images.inspect(env, request.body.Image!).then(() => true, (error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return false;
        throw error;
      });
      if (!present) {
        setPhase(`Pulling ${request.body.Image}…`);
        if (!(await pull(request.body.Image!))) {
          setErrors({ image: 'the image could not be pulled (see below)' });
          setPhase('');
          return;
        }
      }
      let id: string;
      if (replacing && original) {
        id = await replaceContainer(env, original, request, setPhase);
      } else {
        setPhase('Creating the container…');
        const created = await containers.create(env, request.name, request.body);
        id = created.Id;
        for (const warning of created.Warnings ?? []) toast.info(warning);
        if (v.start) {
          setPhase('Starting…');
          try {
            await containers.action(env, id, 'start');
          } catch (error) {
            toast.error(`Created, but it did not start: ${messageOf(error)}`);
          }
        }
      }
      void client.invalidateQueries({ queryKey: qk.containers(env) });
      toast.success(`${replacing ? 'Recreated' : 'Created'} ${request.name ?? id.slice(0, 12)}`);
      router.push(`/containers/${id}`);
    } catch (error) {
      fail(error);
    }
  };

  const pasteEnv = () => {
    const parsed = parseDotEnv(pasteText);
    const keep = v.env.filter((row) => !parsed.some((p) => p.key === row.key.trim()));
    set('env', [...keep, ...parsed]);
    setPasteOpen(false);
    setPasteText('');
    toast.success(`Added ${parsed.length} variable${parsed.length === 1 ? '' : 's'}`);
  };

  const userNetworks = (nets.data ?? []).map((n) => n.Name).filter((n) => !['bridge', 'host', 'none'].includes(n));
  const userNetwork = !['bridge', 'host', 'none'].includes(v.network) && !v.network.startsWith('container:');

  return (
    <form onSubmit={submit} noValidate className="space-y-4 pb-16" data-create-form>
      <PageHeader title={original ? `Duplicate / edit ${original.name}` : 'Create a container'}
        actions={<Button type="submit" variant="primary" busy={phase !== ''} data-submit>{replacing ? 'Replace the container' : v.start ? 'Create and start' : 'Create'}</Button>} />
      {formError && <ErrorBox error={formError} />}
      {phase && <p role="status" className="text-sm text-muted">{phase}</p>}
      {pullState && (pullState.running || pullState.error) && <Card title="Image pull"><PullProgress state={pullState} /></Card>}

      <Section title="Image and name">
        <div className="grid gap-3 md:grid-cols-2">
          <TextField label="Image" name="image" value={v.image} onChange={text('image')} error={err('image')} placeholder="nginx:latest" autoFocus={!original} />
          <TextField label="Name" name="name" value={v.name} onChange={text('name')} error={err('name')} placeholder="a random name if empty" />
          <Checkbox label="Always pull the image, even if present" checked={v.alwaysPull} onChange={(e) => set('alwaysPull', e.target.checked)} />
          {original && (
            <Checkbox label={`Replace ${original.name} (keeps the name; the old one is removed after the new one starts)`} checked={replace}
              disabled={v.name.trim() !== original.name} onChange={(e) => setReplace(e.target.checked)} />
          )}
        </div>
      </Section>

      <Section title="Command">
        <div className="grid gap-3 md:grid-cols-2">
          <TextField label="Command" name="cmd" value={v.cmd} onChange={text('cmd')} error={err('cmd')} placeholder='image default, e.g. sh -c "echo hi"' className="font-mono" />
          <TextField label="Entrypoint" name="entrypoint" value={v.entrypoint} onChange={text('entrypoint')} error={err('entrypoint')} placeholder="image default" className="font-mono" />
          <TextField label="Working directory" name="workingDir" value={v.workingDir} onChange={text('workingDir')} error={err('workingDir')} placeholder="image default" />
          <TextField label="User" name="user" value={v.user} onChange={text('user')} error={err('user')} placeholder="image default (uid, user, uid:gid)" />
        </div>
      </Section>

      <Section title="Environment variables" actions={<Button size="sm" onClick={() => setPasteOpen(true)}>Paste a .env</Button>}>
        <RowsEditor rows={v.env} onChange={(rows) => set('env', rows)} make={() => ({ key: '', value: '' })} addLabel="Variable" empty="No variables besides the image's."
          render={(row, i, update) => (
            <div className="grid grid-cols-[1fr_2fr] gap-2">
              <RowInput label={`Variable ${i + 1} name`} placeholder="NAME" value={row.key} onChange={(key) => update({ key })} error={err(`env.${i}.key`)} name={`env.${i}.key`} />
              <RowInput label={`Variable ${i + 1} value`} placeholder="value" value={row.value} onChange={(value) => update({ value })} error={err(`env.${i}.value`)} name={`env.${i}.value`} />
            </div>
          )} />
        {err('env') && <p role="alert" className="mt-1 text-xs text-danger" data-field-error>{err('env')}</p>}
      </Section>

      <Section title="Labels">
        <RowsEditor rows={v.labels} onChange={(rows) => set('labels', rows)} make={() => ({ key: '', value: '' })} addLabel="Label" empty="No labels."
          render={(row, i, update) => (
            <div className="grid grid-cols-[1fr_2fr] gap-2">
              <RowInput label={`Label ${i + 1} name`} placeholder="com.example.key" value={row.key} onChange={(key) => update({ key })} error={err(`labels.${i}.key`)} name={`labels.${i}.key`} />
              <RowInput label={`Label ${i + 1} value`} placeholder="value" value={row.value} onChange={(value) => update({ value })} name={`labels.${i}.value`} />
            </div>
          )} />
      </Section>

      <Section title="Ports">
        <RowsEditor rows={v.ports} onChange={(rows) => set('ports', rows)} make={() => ({ hostIp: '', host: '', container: '', protocol: 'tcp' as const })} addLabel="Port" empty="No published ports."
          render={(row, i, update) => (
            <div className="grid grid-cols-[1fr_1fr_1fr_6rem] gap-2">
              <RowInput label={`Port ${i + 1} host address`} placeholder="host IP (all)" value={row.hostIp} onChange={(hostIp) => update({ hostIp })} error={err(`ports.${i}.hostIp`)} name={`ports.${i}.hostIp`} />
              <RowInput label={`Port ${i + 1} host port`} placeholder="host port or range (random)" value={row.host} onChange={(host) => update({ host })} error={err(`ports.${i}.host`)} name={`ports.${i}.host`} />
              <RowInput label={`Port ${i + 1} container port`} placeholder="container port or range" value={row.container} onChange={(container) => update({ container })} error={err(`ports.${i}.container`)} name={`ports.${i}.container`} />
              <select aria-label={`Port ${i + 1} protocol`} value={row.protocol} onChange={(e) => update({ protocol: e.target.value as 'tcp' | 'udp' })} className={inputClass} name={`ports.${i}.protocol`}>
                <option value="tcp">tcp</option><option value="udp">udp</option>
              </select>
            </div>
          )} />
        <Checkbox className="mt-3" label="Publish all ports the image exposes to random host ports" checked={v.publishAll} onChange={(e) => set('publishAll', e.target.checked)} />
        {err('ports') && <p role="alert" className="mt-1 text-xs text-danger" data-field-error>{err('ports')}</p>}
      </Section>

      <Section title="Volumes and mounts">
        <RowsEditor rows={v.volumes} onChange={(rows) => set('volumes', rows)} make={() => ({ type: 'volume' as const, source: '', target: '', readOnly: false })} addLabel="Mount" empty="No mounts."
          render={(row, i, update) => (
            <div className="grid grid-cols-[8rem_1fr_1fr_auto] items-start gap-2">
              <select aria-label={`Mount ${i + 1} type`} value={row.type} onChange={(e) => update({ type: e.target.value as typeof row.type })} className={inputClass} name={`volumes.${i}.type`}>
                <option value="volume">volume</option><option value="bind">bind mount</option><option value="tmpfs">tmpfs</option>
              </select>
              {row.type === 'tmpfs' ? <span className="pt-2 text-xs text-muted">in memory</span> : (
                <RowInput label={`Mount ${i + 1} source`} placeholder={row.type === 'bind' ? 'host path, /srv/data' : 'volume name (anonymous if empty)'}
                  value={row.source} onChange={(source) => update({ source })} error={err(`volumes.${i}.source`)} name={`volumes.${i}.source`} />
              )}
              <RowInput label={`Mount ${i + 1} container path`} placeholder="container path, /data" value={row.target} onChange={(target) => update({ target })} error={err(`volumes.${i}.target`)} name={`volumes.${i}.target`} />
              <Checkbox className="pt-2" label="read-only" checked={row.readOnly} onChange={(e) => update({ readOnly: e.target.checked })} />
            </div>
          )} />
        {err('volumes') && <p role="alert" className="mt-1 text-xs text-danger" data-field-error>{err('volumes')}</p>}
      </Section>

      <Section title="Network">
        <div className="grid gap-3 md:grid-cols-3" data-network-section>
          <SelectField label="Network" name="network" value={v.network} onChange={text('network')} error={err('network')}>
            <option value="bridge">bridge (default)</option>
            {userNetworks.map((n) => <option key={n} value={n}>{n}</option>)}
            <option value="host">host</option>
            <option value="none">none</option>
            {!['bridge', 'host', 'none', ...userNetworks].includes(v.network) && <option value={v.network}>{v.network}</option>}
          </SelectField>
          <TextField label="IP address on this network" name="networkIp" value={v.networkIp} onChange={text('networkIp')} error={err('networkIp')}
            placeholder={userNetwork ? 'next free one' : 'user-defined networks only'} />
          <TextField label="Aliases on this network" name="aliases" value={v.aliases} onChange={text('aliases')} error={err('aliases')}
            placeholder={userNetwork ? 'web, api' : 'user-defined networks only'} />
          <TextField label="Hostname" name="hostname" value={v.hostname} onChange={text('hostname')} error={err('hostname')} placeholder="the container id" />
          <TextField label="DNS servers" name="dns" value={v.dns} onChange={text('dns')} error={err('dns')} placeholder="the host's, e.g. 1.1.1.1 9.9.9.9" />
          <TextField label="DNS search domains" name="dnsSearch" value={v.dnsSearch} onChange={text('dnsSearch')} error={err('dnsSearch')} placeholder="the host's, e.g. corp.example" />
          <TextField label="Extra hosts (/etc/hosts)" name="extraHosts" value={v.extraHosts} onChange={text('extraHosts')} error={err('extraHosts')} placeholder="db:10.0.0.5 gw:host-gateway" fieldClass="md:col-span-3" />
        </div>
      </Section>

      <Section title="Restart">
        <div className="grid gap-3 md:grid-cols-4">
          <SelectField label="Restart policy" name="restart" value={v.restart} onChange={text('restart')} error={err('restart')}>
            {RESTART_POLICIES.map((p) => <option key={p} value={p}>{p}</option>)}
          </SelectField>
          <TextField label="Maximum retries" name="maxRetries" value={v.maxRetries} onChange={text('maxRetries')} error={err('maxRetries')} disabled={v.restart !== 'on-failure'} placeholder="unlimited" inputMode="numeric" />
        </div>
      </Section>

      <Section title="Resources">
        <div className="grid gap-3 md:grid-cols-4">
          <TextField label="Memory limit (MB)" name="memory" value={v.memory} onChange={text('memory')} error={err('memory')} placeholder="unlimited" inputMode="decimal" />
          <TextField label="Memory reservation (MB)" name="reservation" value={v.reservation} onChange={text('reservation')} error={err('reservation')} placeholder="none" inputMode="decimal" />
          <TextField label="Memory + swap (MB)" name="swap" value={v.swap} onChange={text('swap')} error={err('swap')} placeholder="twice the limit; -1 unlimited" />
          <TextField label="CPUs" name="cpus" value={v.cpus} onChange={text('cpus')} error={err('cpus')} placeholder="unlimited, e.g. 1.5" inputMode="decimal" />
          <TextField label="CPU shares" name="cpuShares" value={v.cpuShares} onChange={text('cpuShares')} error={err('cpuShares')} placeholder="1024" inputMode="numeric" />
          <TextField label="CPU set" name="cpuset" value={v.cpuset} onChange={text('cpuset')} error={err('cpuset')} placeholder="all, e.g. 0-1" />
          <TextField label="PIDs limit" name="pids" value={v.pids} onChange={text('pids')} error={err('pids')} placeholder="unlimited" inputMode="numeric" />
        </div>
      </Section>

      <Section title="Runtime">
        <div className="flex flex-wrap gap-6">
          <div>
            <Checkbox label="Remove the container when it exits" checked={v.autoRemove} onChange={(e) => set('autoRemove', e.target.checked)} name="autoRemove" />
            {err('autoRemove') && <p role="alert" className="text-xs text-danger" data-field-error>{err('autoRemove')}</p>}
          </div>
          <Checkbox label="TTY" checked={v.tty} onChange={(e) => set('tty', e.target.checked)} name="tty" />
          <Checkbox label="Interactive (keep stdin open)" checked={v.interactive} onChange={(e) => set('interactive', e.target.checked)} name="interactive" />
          {!replacing && <Checkbox label="Start after creating" checked={v.start} onChange={(e) => set('start', e.target.checked)} name="start" />}
        </div>
      </Section>

      <Dialog open={pasteOpen} onClose={() => setPasteOpen(false)} title="Paste a .env file"
        footer={<><Button onClick={() => setPasteOpen(false)}>Cancel</Button><Button variant="primary" onClick={pasteEnv}>Add variables</Button></>}>
        <TextAreaField label="KEY=value lines; comments and export are understood" rows={10} value={pasteText} onChange={(e) => setPasteText(e.target.value)} spellCheck={false} />
      </Dialog>
    </form>
  );
}

function Section({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return <Card title={title} actions={actions}>{children}</Card>;
}
