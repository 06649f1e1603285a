'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import type { AppTemplate } from '@/server/protocol/index.ts';
import { ApiError, messageOf } from '../api/client.ts';
import { containers, images } from '../api/docker.ts';
import type { Port } from '../api/docker-types.ts';
import { createSchema, type CreateValues } from '../containers/create/schema.ts';
import { toCreateRequest } from '../containers/create/to-body.ts';
import { useEngineHost } from '../containers/engine-host.ts';
import { PortLinks } from '../containers/ports.tsx';
import { PullProgress } from '../images/pull-progress.tsx';
import { usePull } from '../images/use-pull.ts';
import { qk } from '../query-keys.ts';
import { useEnv } from '../shell/env.tsx';
import { Badge } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { SelectField, TextField } from '../ui/field.tsx';
import { Card, ErrorBox, PageHeader } from '../ui/layout.tsx';
import { fieldErrors, type FieldErrors } from '../ui/zod-errors.ts';
import { TemplateLogo } from './logo.tsx';
import { initialEnvValue, noteText, valuesFromTemplate } from './values.ts';

interface Deployed { id: string; name: string; ports: Port[] }

/** The form prefilled from one template, and its deployment: pull with progress, create, start, links. */
export function DeployTemplate({ template: t, onBack }: { template: AppTemplate; onBack: () => void }) {
  const env = useEnv();
  const host = useEngineHost(env);
  const client = useQueryClient();
  const { pull, state: pullState } = usePull(env);
  const [v, setValues] = useState<CreateValues>(() => valuesFromTemplate(t));
  const [envValues, setEnvValues] = useState(() => Object.fromEntries(t.env.map((e) => [e.name, initialEnvValue(e)])));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState('');
  const [phase, setPhase] = useState('');
  const [deployed, setDeployed] = useState<Deployed | null>(null);
  const set = <K extends keyof CreateValues>(key: K, value: CreateValues[K]) => setValues((old) => ({ ...old, [key]: value }));

  const deploy = async (e: FormEvent) => {
    e.preventDefault();
    setFormError('');
    const values: CreateValues = { ...v, env: t.env.map((x) => ({ key: x.name, value: envValues[x.name] ?? '' })) };
    const parsed = createSchema.safeParse(values);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    const request = toCreateRequest(values);
    if (t.privileged) request.body.HostConfig.Privileged = true;
    try {
      setPhase('Checking the image…');
      const present = await images.inspect(env, request.body.Image!).then(() => true, (error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return false;
        throw error;
      });
      if (!present) {
        setPhase(`Pulling ${request.body.Image}…`);
        if (!(await pull(request.body.Image!))) throw new Error(`the image ${request.body.Image} could not be pulled`);
      }
      setPhase('Creating the container…');
      const { Id } = await containers.create(env, request.name, request.body);
      setPhase('Starting…');
      await containers.action(env, Id, 'start');
      const info = await containers.inspect(env, Id);
      const ports: Port[] = Object.entries(info.NetworkSettings?.Ports ?? {}).flatMap(([key, bindings]) => {
        const [port, type] = key.split('/');
        return (bindings ?? []).map((b) => ({ PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: type as Port['Type'], IP: b.HostIp }));
      });
      setDeployed({ id: Id, name: info.Name.replace(/^\//, ''), ports });
      void client.invalidateQueries({ queryKey: qk.containers(env) });
    } catch (error) {
      setFormError(messageOf(error));
    }
    setPhase('');
  };

  const stack = t.type !== 1;
  return (
    <form onSubmit={deploy} noValidate className="space-y-4 pb-16" data-template-form={t.title}>
      <PageHeader title={<span className="flex items-center gap-3"><TemplateLogo logo={t.logo} className="h-8 w-8" />{t.title}</span>} subtitle={t.description}
        actions={<>
          <Button onClick={onBack}>Back to templates</Button>
          {!stack && !deployed && <Button type="submit" variant="primary" busy={phase !== ''} data-deploy>Deploy the container</Button>}
        </>} />
      {t.note && <p className="whitespace-pre-wrap rounded border border-line bg-raised px-3 py-2 text-sm" data-note>{noteText(t.note)}</p>}
      {t.type === 2 && <p role="status"><Badge tone="warning">Needs a Swarm environment</Badge> This template deploys a Swarm stack; this environment is not a Swarm cluster.</p>}
      {t.type === 3 && <p role="status"><Badge tone="info">Compose stack</Badge> Deploys as a stack: review its files and plan first. <Link href={`/stacks/new?template=${t.id}`} className="text-accent hover:underline" data-deploy-stack>Open as a new stack</Link></p>}
      {formError && <ErrorBox error={formError} />}
      {phase && <p role="status" className="text-sm text-muted">{phase}</p>}
      {pullState && (pullState.running || pullState.error || phase.startsWith('Pulling')) && <Card title="Image pull"><PullProgress state={pullState} /></Card>}
      {deployed && (
        <Card title="Deployed">
          <p className="text-sm" data-deployed={deployed.name}>
            <Link href={`/containers/${deployed.id}`} className="text-accent hover:underline">{deployed.name}</Link> is running.
          </p>
          <div className="mt-2 text-sm">Published ports: <PortLinks ports={deployed.ports} host={host} max={10} /></div>
        </Card>
      )}
      {!stack && (
        <fieldset disabled={phase !== '' || deployed !== null} className="space-y-4">
          <Card title="Container">
            <div className="grid gap-3 md:grid-cols-2">
              <TextField label="Name" name="name" value={v.name} onChange={(e) => set('name', e.target.value)} error={errors.name} placeholder="a random name if empty" />
              <TextField label="Image" name="image" value={v.image} readOnly hint={t.privileged ? 'Runs privileged' : undefined} error={errors.image} />
              <TextField label="Memory limit (MB)" name="memory" value={v.memory} onChange={(e) => set('memory', e.target.value)} error={errors.memory} inputMode="decimal" placeholder="no limit" />
              <TextField label="CPUs" name="cpus" value={v.cpus} onChange={(e) => set('cpus', e.target.value)} error={errors.cpus} inputMode="decimal" placeholder="no limit" />
            </div>
          </Card>
          {t.env.some((x) => !x.preset) && (
            <Card title="Environment">
              <div className="grid gap-3 md:grid-cols-2">
                {t.env.filter((x) => !x.preset).map((x) => x.select
                  ? (
                    <SelectField key={x.name} label={x.label || x.name} name={`env.${x.name}`} hint={x.description} value={envValues[x.name]} onChange={(e) => setEnvValues((o) => ({ ...o, [x.name]: e.target.value }))}>
                      {x.select.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
                    </SelectField>
                  )
                  : <TextField key={x.name} label={x.label || x.name} name={`env.${x.name}`} hint={x.description} value={envValues[x.name]} onChange={(e) => setEnvValues((o) => ({ ...o, [x.name]: e.target.value }))} />)}
              </div>
              {errors.env && <p role="alert" className="text-xs text-danger">{errors.env}</p>}
            </Card>
          )}
          {v.ports.length > 0 && (
            <Card title="Published ports">
              <div className="grid gap-3 md:grid-cols-3">
                {v.ports.map((p, i) => (
                  <TextField key={`${p.container}/${p.protocol}`} label={`Host port for ${p.container}/${p.protocol}`} name={`ports.${i}.host`} value={p.host} placeholder="a free port"
                    error={errors[`ports.${i}.host`] ?? errors[`ports.${i}`]} onChange={(e) => set('ports', v.ports.map((q, j) => (j === i ? { ...q, host: e.target.value } : q)))} />
                ))}
              </div>
            </Card>
          )}
          {v.volumes.length > 0 && (
            <Card title="Volumes">
              <div className="grid gap-3 md:grid-cols-2">
                {v.volumes.map((m, i) => (
                  <TextField key={m.target} label={`${m.type === 'bind' ? 'Host path' : 'Volume'} for ${m.target}${m.readOnly ? ' (read-only)' : ''}`} name={`volumes.${i}.source`} value={m.source}
                    placeholder={m.type === 'bind' ? '/path/on/the/host' : 'a new anonymous volume if empty'} error={errors[`volumes.${i}.source`] ?? errors[`volumes.${i}`]}
                    onChange={(e) => set('volumes', v.volumes.map((q, j) => (j === i ? { ...q, source: e.target.value } : q)))} />
                ))}
              </div>
            </Card>
          )}
        </fieldset>
      )}
    </form>
  );
}
