'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TemplateSourcesView } from '@/server/protocol/index.ts';
import { api, messageOf } from '../api/client.ts';
import { qk } from '../query-keys.ts';
import { Button } from '../ui/button.tsx';
import { TextAreaField } from '../ui/field.tsx';
import { Card } from '../ui/layout.tsx';
import { useToast } from '../ui/toasts.tsx';

/** For administrators: the URLs of template files merged after the built-in catalogue, one per line. */
export function TemplateSources() {
  const client = useQueryClient();
  const toast = useToast();
  const sources = useQuery({ queryKey: [...qk.templates(), 'sources'], queryFn: () => api<TemplateSourcesView>('/api/templates/sources') });
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  if (!sources.data) return null;
  const value = text ?? sources.data.urls.join('\n');
  const save = async () => {
    setBusy(true);
    setError('');
    try {
      await api('/api/templates/sources', { method: 'PUT', body: { urls: value.split('\n').map((l) => l.trim()).filter(Boolean) } });
      setText(null);
      toast.success('Template sources saved');
      await client.invalidateQueries({ queryKey: qk.templates() });
    } catch (err) {
      setError(messageOf(err));
    }
    setBusy(false);
  };
  return (
    <Card title="Template sources" actions={<Button size="sm" onClick={save} busy={busy} data-save-sources>Save</Button>}>
      <TextAreaField label="URLs of template files (Portainer format v2 or v3), one per line" name="sources" rows={3} value={value} onChange={(e) => setText(e.target.value)} error={error}
        hint={sources.data.fromEnvironment.length ? `Also read: ${sources.data.fromEnvironment.join(', ')} (WHARF_TEMPLATES_URL)` : undefined} />
    </Card>
  );
}
