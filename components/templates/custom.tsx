'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { LOCAL_ENVIRONMENT_ID, type CustomTemplate, type CustomTemplateFile } from '@/server/protocol/index.ts';
import { api, messageOf } from '../api/client.ts';
import { containers } from '../api/docker.ts';
import { qk } from '../query-keys.ts';
import { Button, buttonClass } from '../ui/button.tsx';
import { inputClass, TextAreaField } from '../ui/field.tsx';
import { Card } from '../ui/layout.tsx';
import { useConfirm } from '../ui/confirm.tsx';
import { useToast } from '../ui/toasts.tsx';

const STARTER = { type: 1, title: 'My app', description: '', categories: [], image: 'busybox:latest', env: [], ports: [], volumes: [], restart_policy: 'unless-stopped' };

/** For administrators: their own templates, written as v3 JSON or saved from a container; export as a v3 file. */
export function CustomTemplates() {
  const client = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const custom = useQuery({ queryKey: [...qk.templates(), 'custom'], queryFn: () => api<CustomTemplateFile>('/api/templates/custom') });
  const local = useQuery({ queryKey: qk.containerList(LOCAL_ENVIRONMENT_ID), queryFn: () => containers.list(LOCAL_ENVIRONMENT_ID) });
  // null: no editor open; 0: a new template; otherwise the id being edited.
  const [editing, setEditing] = useState<number | null>(null);
  const [text, setText] = useState('');
  const [container, setContainer] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError('');
    try {
      await what();
      toast.success(done);
      await client.invalidateQueries({ queryKey: qk.templates() });
      return true;
    } catch (err) {
      setError(messageOf(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const open = (t: CustomTemplate | null) => {
    setError('');
    setEditing(t ? t.id : 0);
    setText(JSON.stringify(t ?? STARTER, null, 2));
  };
  const save = async () => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      setError(`not JSON: ${(err as Error).message}`);
      return;
    }
    const ok = await run(() => (editing ? api(`/api/templates/custom/${editing}`, { method: 'PUT', body }) : api('/api/templates/custom', { method: 'POST', body })), 'Template saved');
    if (ok) setEditing(null);
  };
  const fromContainer = () => run(() => api(`/api/templates/custom/from-container/${encodeURIComponent(container)}`, { method: 'POST', body: {} }), 'Container saved as a template');
  const remove = async (t: CustomTemplate) => {
    if (!(await confirm({ title: 'Delete template', message: `Delete the template "${t.title}"?`, confirmLabel: 'Delete', danger: true })).confirmed) return;
    await run(() => api(`/api/templates/custom/${t.id}`, { method: 'DELETE' }), 'Template deleted');
  };

  const names = (local.data ?? []).map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ''));
  return (
    <Card title="Custom templates" actions={
      <span className="flex gap-2">
        <Button size="sm" onClick={() => open(null)} data-new-template>New template</Button>
        <a className={buttonClass('default', 'sm')} href="/api/templates/custom/export" download data-export-templates>Export</a>
      </span>
    }>
      <div className="space-y-3">
        <div className="flex flex-wrap gap-2">
          <select aria-label="Container to save as a template" value={container} onChange={(e) => setContainer(e.target.value)} className={`${inputClass} max-w-xs`}>
            <option value="">Choose a container…</option>
            {names.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
          <Button size="sm" onClick={fromContainer} disabled={!container} busy={busy && editing === null} data-save-container>Save as template</Button>
        </div>
        {editing !== null && (
          <div className="space-y-2" data-template-editor>
            <TextAreaField label={editing ? 'Template (Portainer v3 JSON)' : 'New template (Portainer v3 JSON)'} name="template" rows={14} value={text}
              onChange={(e) => setText(e.target.value)} className="text-xs" />
            <span className="flex gap-2">
              <Button size="sm" variant="primary" onClick={save} busy={busy} data-save-template>Save</Button>
              <Button size="sm" onClick={() => setEditing(null)}>Cancel</Button>
            </span>
          </div>
        )}
        {error && <p role="alert" className="text-sm text-danger" data-custom-error>{error}</p>}
        <ul className="divide-y divide-line">
          {(custom.data?.templates ?? []).map((t) => (
            <li key={t.id} className="flex items-center justify-between gap-2 py-1.5" data-custom-template={t.title}>
              <span className="min-w-0 truncate text-sm">{t.title} <span className="text-muted">{t.image}</span></span>
              <span className="flex gap-1">
                <Button size="sm" onClick={() => open(t)} data-edit-template>Edit</Button>
                <Button size="sm" variant="danger" onClick={() => void remove(t)} data-delete-template>Delete</Button>
              </span>
            </li>
          ))}
        </ul>
      </div>
    </Card>
  );
}
