'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { ApiError, messageOf } from '../../api/client.ts';
import { containers } from '../../api/docker.ts';
import type { ContainerInspect } from '../../api/docker-types.ts';
import { qk } from '../../query-keys.ts';
import { Button } from '../../ui/button.tsx';
import { TextField } from '../../ui/field.tsx';
import { Card } from '../../ui/layout.tsx';
import { useToast } from '../../ui/toasts.tsx';
import { fieldErrors, type FieldErrors } from '../../ui/zod-errors.ts';

const MiB = 1024 * 1024;
const optionalNumber = (message: string) => z.string().trim().refine((v) => v === '' || (Number.isFinite(Number(v)) && Number(v) >= 0), message);

const limitsSchema = z.object({
  memory: optionalNumber('memory must be a number of MB (0 or empty for unlimited)')
    .refine((v) => v === '' || Number(v) === 0 || Number(v) >= 6, 'the smallest memory limit is 6 MB'),
  reservation: optionalNumber('reservation must be a number of MB'),
  cpus: optionalNumber('CPUs must be a decimal number such as 0.5'),
  pids: z.string().trim().refine((v) => v === '' || /^-?\d+$/.test(v), 'the PIDs limit must be a whole number'),
}).refine((v) => !v.memory || !v.reservation || Number(v.memory) === 0 || Number(v.reservation) <= Number(v.memory), {
  path: ['reservation'], message: 'the reservation must not exceed the memory limit',
});

const mb = (bytes: number | undefined) => (bytes ? String(Math.round((bytes / MiB) * 100) / 100) : '');

/** POST /containers/{id}/update: new limits apply to the running container at once. */
export function UpdateLimits({ env, c }: { env: string; c: ContainerInspect }) {
  const client = useQueryClient();
  const toast = useToast();
  const h = c.HostConfig;
  const [values, setValues] = useState({
    memory: mb(h.Memory),
    reservation: mb(h.MemoryReservation),
    cpus: h.NanoCpus ? String(h.NanoCpus / 1e9) : '',
    pids: h.PidsLimit && h.PidsLimit > 0 ? String(h.PidsLimit) : '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = limitsSchema.safeParse(values);
    setErrors(parsed.success ? {} : fieldErrors(parsed.error));
    if (!parsed.success) return;
    const memory = Math.round(Number(values.memory || 0) * MiB);
    const body: Record<string, number> = {
      Memory: memory,
      MemoryReservation: Math.round(Number(values.reservation || 0) * MiB),
      NanoCpus: Math.round(Number(values.cpus || 0) * 1e9),
      PidsLimit: values.pids === '' ? 0 : Number(values.pids),
    };
    // Docker refuses a memory limit above the current swap limit; keep swap unlimited-relative.
    if (memory > 0) body.MemorySwap = h.MemorySwap && h.MemorySwap > memory ? h.MemorySwap : -1;
    setBusy(true);
    try {
      const res = await containers.update(env, c.Id, body);
      toast.success(`Limits of ${c.Name.replace(/^\//, '')} updated${res?.Warnings?.length ? ` (${res.Warnings.join('; ')})` : ''}`);
      void client.invalidateQueries({ queryKey: qk.container(env, c.Id) });
    } catch (err) {
      if (err instanceof ApiError && err.field) setErrors({ [fieldFor(err.field)]: err.message });
      toast.error(`Update failed: ${messageOf(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Resource limits">
      <form onSubmit={submit} noValidate className="grid max-w-3xl gap-3 md:grid-cols-4" data-limits-form>
        <TextField label="Memory limit (MB)" inputMode="decimal" value={values.memory} onChange={set('memory')} error={errors.memory} placeholder="unlimited" name="memory" />
        <TextField label="Memory reservation (MB)" inputMode="decimal" value={values.reservation} onChange={set('reservation')} error={errors.reservation} placeholder="none" name="reservation" />
        <TextField label="CPUs" inputMode="decimal" value={values.cpus} onChange={set('cpus')} error={errors.cpus} placeholder="unlimited" name="cpus" />
        <TextField label="PIDs limit" inputMode="numeric" value={values.pids} onChange={set('pids')} error={errors.pids} placeholder="unlimited" name="pids" />
        <div className="md:col-span-4">
          <Button type="submit" variant="primary" busy={busy}>Apply limits</Button>
          <p className="mt-2 text-xs text-muted">Limits apply to the running container immediately; empty means unlimited.</p>
        </div>
      </form>
    </Card>
  );
}

function fieldFor(path: string): string {
  if (/MemoryReservation/.test(path)) return 'reservation';
  if (/Memory/.test(path)) return 'memory';
  if (/NanoCpus|Cpu/.test(path)) return 'cpus';
  if (/Pids/.test(path)) return 'pids';
  return 'memory';
}
