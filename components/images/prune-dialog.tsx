'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../api/client.ts';
import { images } from '../api/docker.ts';
import { formatBytes } from '../format.ts';
import { qk } from '../query-keys.ts';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { SelectField, TextField } from '../ui/field.tsx';
import { useToast } from '../ui/toasts.tsx';

const AGES: { value: string; label: string }[] = [
  { value: '', label: 'Any age' },
  { value: '24h', label: 'Older than a day' },
  { value: '168h', label: 'Older than a week' },
  { value: '720h', label: 'Older than 30 days' },
];

/** One `key` or `key=value` per line or comma, as `--filter label=…` takes them. */
const labelList = (text: string): string[] => text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

/** `docker image prune`: dangling images (or every unused one), optionally only older ones or those with a label. */
export function PruneDialog({ env, onClose }: { env: string; onClose: () => void }) {
  const client = useQueryClient();
  const toast = useToast();
  const [all, setAll] = useState(false);
  const [until, setUntil] = useState('');
  const [labels, setLabels] = useState('');
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const report = await images.prune(env, { all, until: until || undefined, labels: labelList(labels) });
      const deleted = (report.ImagesDeleted ?? []).filter((d) => d.Deleted).length;
      toast.success(`Pruned ${deleted} image${deleted === 1 ? '' : 's'}, reclaimed ${formatBytes(report.SpaceReclaimed)}`);
      void client.invalidateQueries({ queryKey: qk.images(env) });
      onClose();
    } catch (err) {
      setError({ field: err instanceof ApiError ? err.field : undefined, message: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} title="Prune images"
      footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" form="prune-form" variant="danger" busy={busy} data-prune-submit>Prune</Button></>}>
      <form id="prune-form" onSubmit={submit} noValidate className="space-y-3">
        <SelectField label="Which images" value={all ? 'all' : 'dangling'} onChange={(e) => setAll(e.target.value === 'all')}>
          <option value="dangling">Dangling only (untagged, unused)</option>
          <option value="all">All unused images</option>
        </SelectField>
        <SelectField label="Age" value={until} onChange={(e) => setUntil(e.target.value)}>
          {AGES.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
        </SelectField>
        <TextField label="Only with labels" value={labels} onChange={(e) => setLabels(e.target.value)} placeholder="team=web, temporary"
          hint="key or key=value, separated by commas" />
        {error && <p role="alert" className="text-sm text-danger">{error.message}</p>}
        <p className="text-xs text-muted">Images a container uses are never pruned.</p>
      </form>
    </Dialog>
  );
}
