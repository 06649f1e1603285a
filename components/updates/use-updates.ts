'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  containerUpdatePath, LOCAL_ENVIRONMENT_ID, updatesPath, type ImageUpdate, type RecreateResult, type UpdatesReport,
} from '@/server/protocol/index.ts';
import { api, messageOf } from '../api/client.ts';
import { qk } from '../query-keys.ts';
import { useToast } from '../ui/toasts.tsx';

/** The last update check of the environment; only the embedded engine is checked. */
export function useUpdates(env: string) {
  return useQuery({
    queryKey: qk.updates(env),
    queryFn: () => api<UpdatesReport>(updatesPath(env)),
    enabled: env === LOCAL_ENVIRONMENT_ID,
  });
}

/** The pending update of what a container runs: its tag (or, once rolled back, the tag it followed) on its image. */
export function updateFor(report: UpdatesReport | undefined, c: { name: string; image: string; imageId: string }): ImageUpdate | undefined {
  if (!report) return undefined;
  const followed = report.rollbacks.find((r) => r.containerName === c.name)?.reference;
  return report.updates.find((u) => u.status === 'available' && u.imageId === c.imageId && (u.reference === c.image || u.reference === followed));
}

export function imageUpdate(report: UpdatesReport | undefined, imageId: string): ImageUpdate | undefined {
  return report?.updates.find((u) => u.status === 'available' && u.imageId === imageId);
}

/**
 * Check now, update and roll back; each refreshes what changed. `onRecreated` runs with the
 * new container even if the page that asked has gone meanwhile: the old container is removed
 * before the answer comes, and its page may already show it gone (callbacks given to `mutate`
 * itself would then never run).
 */
export function useUpdateActions(env: string, onRecreated?: (r: RecreateResult) => void) {
  const client = useQueryClient();
  const toast = useToast();
  const refresh = () => client.invalidateQueries({ queryKey: qk.env(env) });
  const check = useMutation({
    mutationFn: () => api<UpdatesReport>(`${updatesPath(env)}/check`, { method: 'POST' }),
    onSuccess: (r) => {
      const n = r.updates.filter((u) => u.status === 'available').length;
      toast.success(n === 0 ? 'All images in use are up to date' : `${n} update${n === 1 ? '' : 's'} available`);
      void refresh();
    },
    onError: (e) => toast.error(`Update check failed: ${messageOf(e)}`),
  });
  const recreate = useMutation({
    mutationFn: ({ container, action }: { container: string; action: 'update' | 'rollback' }) =>
      api<RecreateResult>(containerUpdatePath(env, container, action), { method: 'POST' }),
    onSuccess: (r, { action }) => {
      toast.success(!r.changed ? `${r.name} already runs that image` : action === 'update' ? `${r.name} updated` : `${r.name} rolled back`);
      void refresh();
      onRecreated?.(r);
    },
    onError: (e, { action }) => toast.error(`${action === 'update' ? 'Update' : 'Roll back'} failed: ${messageOf(e)}`),
  });
  return { check, recreate };
}
