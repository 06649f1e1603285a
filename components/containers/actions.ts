'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { messageOf } from '../api/client.ts';
import { containers, type ContainerAction } from '../api/docker.ts';
import { qk } from '../query-keys.ts';
import { useToast } from '../ui/toasts.tsx';

export type BulkAction = ContainerAction | 'remove';

export const ACTION_LABELS: Record<BulkAction, { verb: string; done: string }> = {
  start: { verb: 'Start', done: 'Started' },
  stop: { verb: 'Stop', done: 'Stopped' },
  kill: { verb: 'Kill', done: 'Killed' },
  restart: { verb: 'Restart', done: 'Restarted' },
  pause: { verb: 'Pause', done: 'Paused' },
  unpause: { verb: 'Resume', done: 'Resumed' },
  remove: { verb: 'Remove', done: 'Removed' },
};

/** Runs `fn` over `items`, at most `limit` at a time; collects failures instead of stopping. */
export async function runPool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<{ item: T; error: unknown }[]> {
  const failures: { item: T; error: unknown }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failures.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return failures;
}

/** Container actions with one toast per batch: what succeeded, and each failure by name. */
export function useContainerActions(env: string) {
  const client = useQueryClient();
  const toast = useToast();
  const [busy, setBusy] = useState<BulkAction | null>(null);
  const run = useCallback(async (action: BulkAction, targets: { id: string; name: string }[], opts: { force?: boolean; volumes?: boolean } = {}) => {
    if (targets.length === 0) return true;
    setBusy(action);
    const failures = await runPool(targets, 8, (t) => action === 'remove'
      ? containers.remove(env, t.id, opts)
      : containers.action(env, t.id, action));
    setBusy(null);
    void client.invalidateQueries({ queryKey: qk.containers(env) });
    const ok = targets.length - failures.length;
    const { done } = ACTION_LABELS[action];
    if (ok > 0) toast.success(`${done} ${ok === 1 && targets.length === 1 ? targets[0]!.name : `${ok} container${ok === 1 ? '' : 's'}`}`);
    if (failures.length > 0) {
      const lines = failures.slice(0, 5).map((f) => `${f.item.name}: ${messageOf(f.error)}`);
      if (failures.length > 5) lines.push(`and ${failures.length - 5} more`);
      toast.error(`${ACTION_LABELS[action].verb} failed for ${failures.length}:\n${lines.join('\n')}`);
    }
    return failures.length === 0;
  }, [env, client, toast]);
  return { run, busy };
}
