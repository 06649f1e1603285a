'use client';

import { useRouter } from 'next/navigation';
import type { ContainerInspect } from '../../api/docker-types.ts';
import { Button } from '../../ui/button.tsx';
import { useConfirm } from '../../ui/confirm.tsx';
import { useContainerActions, type BulkAction } from '../actions.ts';

/** Start/stop/… for one container, shown according to its state. */
export function ContainerActionsBar({ env, c }: { env: string; c: ContainerInspect }) {
  const { run, busy } = useContainerActions(env);
  const confirm = useConfirm();
  const router = useRouter();
  const name = c.Name.replace(/^\//, '');
  const s = c.State;
  const target = [{ id: c.Id, name }];

  const act = async (action: BulkAction) => {
    if (action === 'remove') {
      const answer = await confirm({
        title: `Remove ${name}?`,
        message: 'The container and its writable layer are deleted. Named volumes are kept.',
        confirmLabel: 'Remove',
        danger: true,
        option: { label: 'Force: stop it first if it is running', initial: s.Running },
      });
      if (!answer.confirmed) return;
      if (await run('remove', target, { force: answer.option })) router.push('/containers');
      return;
    }
    if (action === 'kill') {
      const answer = await confirm({ title: `Kill ${name}?`, message: 'The main process gets SIGKILL and cannot clean up.', confirmLabel: 'Kill', danger: true });
      if (!answer.confirmed) return;
    }
    await run(action, target);
  };

  const button = (action: BulkAction, label: string, show: boolean, danger = false) => show && (
    <Button key={action} size="sm" variant={danger ? 'danger' : 'default'} busy={busy === action} disabled={busy !== null} onClick={() => void act(action)} data-action={action}>
      {label}
    </Button>
  );
  return (
    <div className="flex flex-wrap gap-1" role="group" aria-label="Container actions">
      {button('start', 'Start', !s.Running)}
      {button('stop', 'Stop', s.Running)}
      {button('restart', 'Restart', true)}
      {button('pause', 'Pause', s.Running && !s.Paused)}
      {button('unpause', 'Resume', s.Paused)}
      {button('kill', 'Kill', s.Running, true)}
      {button('remove', 'Remove', true, true)}
    </div>
  );
}
