'use client';

import { useRouter } from 'next/navigation';
import type { ContainerInspect } from '../api/docker-types.ts';
import { Button } from '../ui/button.tsx';
import { UpdateBadge } from './update-badge.tsx';
import { updateFor, useUpdateActions, useUpdates } from './use-updates.ts';

/** "update available", Update and Roll back on a container's page. */
export function ContainerUpdate({ env, c, canWrite }: { env: string; c: ContainerInspect; canWrite: boolean }) {
  const report = useUpdates(env);
  const router = useRouter();
  // The recreated container has a new id: follow it.
  const { recreate } = useUpdateActions(env, (r) => router.replace(`/containers/${r.id}`));
  const name = c.Name.replace(/^\//, '');
  const update = updateFor(report.data, { name, image: c.Config.Image ?? '', imageId: c.Image });
  const rollback = report.data?.rollbacks.find((r) => r.containerName === name && r.previousImage !== c.Image);
  const busy = recreate.isPending ? recreate.variables?.action : undefined;
  const run = (action: 'update' | 'rollback') => recreate.mutate({ container: c.Id, action });
  return (
    <span className="flex items-center gap-1">
      <UpdateBadge update={update} />
      {canWrite && update && (
        <Button size="sm" variant="primary" busy={busy === 'update'} disabled={busy !== undefined} data-update-container
          onClick={() => run('update')}>Update</Button>
      )}
      {canWrite && rollback && (
        <Button size="sm" busy={busy === 'rollback'} disabled={busy !== undefined} data-rollback-container title={`Recreate on ${rollback.previousImage.slice(0, 19)}`}
          onClick={() => run('rollback')}>Roll back</Button>
      )}
    </span>
  );
}
