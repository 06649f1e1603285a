'use client';

import type { ContainerSummary } from '../api/docker-types.ts';
import { Button } from '../ui/button.tsx';
import { useConfirm } from '../ui/confirm.tsx';
import { ACTION_LABELS, useContainerActions, type BulkAction } from './actions.ts';
import { containerName } from './status.ts';

/** Which states an action makes sense in; the others are skipped rather than failed. */
const APPLIES: Record<BulkAction, (state: string) => boolean> = {
  start: (s) => s === 'created' || s === 'exited' || s === 'dead',
  stop: (s) => s === 'running' || s === 'restarting' || s === 'paused',
  kill: (s) => s === 'running' || s === 'restarting' || s === 'paused',
  restart: (s) => s !== 'removing',
  pause: (s) => s === 'running',
  unpause: (s) => s === 'paused',
  remove: () => true,
};

const ORDER: BulkAction[] = ['start', 'stop', 'kill', 'restart', 'pause', 'unpause', 'remove'];

export function BulkActions({ env, selected, onDone }: { env: string; selected: ContainerSummary[]; onDone: () => void }) {
  const { run, busy } = useContainerActions(env);
  const confirm = useConfirm();

  const go = async (action: BulkAction) => {
    const targets = selected.filter((c) => APPLIES[action](c.State)).map((c) => ({ id: c.Id, name: containerName(c) }));
    let opts = {};
    if (action === 'remove' || action === 'kill') {
      const running = selected.filter((c) => c.State === 'running').length;
      const names = targets.slice(0, 8).map((t) => t.name).join(', ') + (targets.length > 8 ? `, and ${targets.length - 8} more` : '');
      const answer = await confirm({
        title: `${ACTION_LABELS[action].verb} ${targets.length} container${targets.length === 1 ? '' : 's'}?`,
        message: <p className="break-words">{names}</p>,
        confirmLabel: ACTION_LABELS[action].verb,
        danger: true,
        option: action === 'remove' ? { label: `Force: stop running containers first${running ? ` (${running} running)` : ''}`, initial: running > 0 } : undefined,
      });
      if (!answer.confirmed) return;
      opts = { force: answer.option };
    }
    if (await run(action, targets, opts)) onDone();
  };

  return (
    <div className="flex flex-wrap gap-1" role="group" aria-label="Actions on selected containers">
      {ORDER.map((action) => {
        const applicable = selected.some((c) => APPLIES[action](c.State));
        return (
          <Button key={action} size="sm" variant={action === 'remove' || action === 'kill' ? 'danger' : 'default'}
            disabled={!applicable || busy !== null} busy={busy === action} onClick={() => void go(action)} data-bulk={action}>
            {ACTION_LABELS[action].verb}
          </Button>
        );
      })}
    </div>
  );
}
