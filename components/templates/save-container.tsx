'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { LOCAL_ENVIRONMENT_ID, type CustomTemplate } from '@/server/protocol/index.ts';
import { api, messageOf } from '../api/client.ts';
import { qk } from '../query-keys.ts';
import { useIsAdmin } from '../shell/session.tsx';
import { Button } from '../ui/button.tsx';
import { useToast } from '../ui/toasts.tsx';

/** "Save as template" on a container's page: administrators, containers of the local environment (the server inspects it there). */
export function SaveAsTemplate({ env, container }: { env: string; container: string }) {
  const admin = useIsAdmin();
  const client = useQueryClient();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  if (!admin || env !== LOCAL_ENVIRONMENT_ID) return null;
  const save = async () => {
    setBusy(true);
    try {
      const t = await api<CustomTemplate>(`/api/templates/custom/from-container/${encodeURIComponent(container)}`, { method: 'POST', body: {} });
      toast.success(`Saved as the template "${t.title}"`);
      await client.invalidateQueries({ queryKey: qk.templates() });
    } catch (err) {
      toast.error(messageOf(err));
    }
    setBusy(false);
  };
  return <Button size="sm" onClick={save} busy={busy} data-save-as-template>Save as template</Button>;
}
