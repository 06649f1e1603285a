'use client';

import { useState, type FormEvent } from 'react';
import { createRegistryRequestSchema, type Registry, type RegistryTestResult } from '@/server/protocol/index.ts';
import { api, ApiError, messageOf } from '../api/client.ts';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { TextField } from '../ui/field.tsx';
import { useToast } from '../ui/toasts.tsx';
import { fieldErrors, type FieldErrors } from '../ui/zod-errors.ts';

/** Add a registry, or edit one (an empty password keeps the stored one). */
export function RegistryForm({ registry, onClose }: { registry?: Registry; onClose: () => void }) {
  const toast = useToast();
  const [v, setV] = useState({ name: registry?.name ?? '', address: registry?.address ?? '', username: registry?.username ?? '', password: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RegistryTestResult | undefined>();

  const parse = () => {
    const parsed = createRegistryRequestSchema.safeParse(v);
    setErrors(parsed.success ? {} : fieldErrors(parsed.error));
    return parsed.success ? parsed.data : undefined;
  };

  const test = async () => {
    const body = parse();
    if (!body) return;
    setResult(undefined);
    try {
      // Editing without a new password tests what is stored.
      const res = registry && !v.password
        ? await api<RegistryTestResult>(`/api/registries/${encodeURIComponent(registry.id)}/test`, { method: 'POST' })
        : await api<RegistryTestResult>('/api/registries/test', { method: 'POST', body });
      setResult(res);
    } catch (err) {
      setResult({ ok: false, message: messageOf(err) });
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = parse();
    if (!body) return;
    setBusy(true);
    try {
      if (registry) {
        const { password, ...rest } = body;
        await api(`/api/registries/${encodeURIComponent(registry.id)}`, { method: 'PUT', body: password ? body : rest });
      } else {
        await api('/api/registries', { method: 'POST', body });
      }
      toast.success(`${registry ? 'Saved' : 'Added'} ${v.name}`);
      onClose();
    } catch (err) {
      setErrors({ [err instanceof ApiError && err.field ? err.field : 'address']: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} title={registry ? `Edit ${registry.name}` : 'Add a registry'}
      footer={<><Button onClick={() => void test()}>Test</Button><Button onClick={onClose}>Cancel</Button><Button type="submit" form="registry-form" variant="primary" busy={busy}>{registry ? 'Save' : 'Add'}</Button></>}>
      <form id="registry-form" onSubmit={submit} noValidate className="space-y-3">
        <TextField label="Name" value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} error={errors.name} autoFocus />
        <TextField label="Registry address" value={v.address} onChange={(e) => setV({ ...v, address: e.target.value })} error={errors.address}
          placeholder="docker.io or registry.example.com:5000" hint="As image names start: docker.io for Docker Hub." />
        <TextField label="Username" value={v.username} onChange={(e) => setV({ ...v, username: e.target.value })} error={errors.username} autoComplete="off" />
        <TextField label="Password or access token" type="password" value={v.password} onChange={(e) => setV({ ...v, password: e.target.value })} error={errors.password}
          autoComplete="new-password" hint={registry?.hasPassword ? 'Leave empty to keep the stored password.' : 'Stored encrypted; never shown again.'} />
        {result && <p role="status" className={result.ok ? 'text-sm text-success' : 'text-sm text-danger'}>{result.ok ? 'Login Succeeded' : result.message}</p>}
      </form>
    </Dialog>
  );
}
