'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { ApiError } from '../../api/client.ts';
import { containers } from '../../api/docker.ts';
import { LogViewer } from '../../logs/log-viewer.tsx';
import { qk } from '../../query-keys.ts';
import { useEnv } from '../../shell/env.tsx';
import { useCanWrite } from '../../shell/session.tsx';
import { ExecConsole } from '../../terminal/exec-console.tsx';
import { buttonClass } from '../../ui/button.tsx';
import { JsonView } from '../../ui/json-view.tsx';
import { ErrorBox, Loading, PageHeader } from '../../ui/layout.tsx';
import { Tabs } from '../../ui/tabs.tsx';
import { useEngineHost } from '../engine-host.ts';
import { StateBadge } from '../state-badge.tsx';
import { CommitImage } from './commit.tsx';
import { ContainerActionsBar } from './actions-bar.tsx';
import { ContainerUpdate } from '../../updates/container-update.tsx';
import { UpdateLimits } from './limits.tsx';
import { ContainerOverview } from './overview.tsx';
import { ContainerStats } from './stats.tsx';
import { ContainerTop } from './top.tsx';
import { UnderTheHood } from '../kernel/under-the-hood.tsx';
import { SaveAsTemplate } from '../../templates/save-container.tsx';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'logs', label: 'Logs' },
  { id: 'console', label: 'Console' },
  { id: 'stats', label: 'Stats' },
  { id: 'top', label: 'Processes' },
  { id: 'inspect', label: 'Inspect' },
  { id: 'kernel', label: 'Under the hood' },
  { id: 'edit', label: 'Limits & commit' },
];

export function ContainerDetails({ id }: { id: string }) {
  const env = useEnv();
  const canWrite = useCanWrite();
  const host = useEngineHost(env);
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const tab = TABS.some((t) => t.id === params.get('tab')) ? params.get('tab')! : 'overview';
  const inspect = useQuery({ queryKey: qk.container(env, id), queryFn: () => containers.inspect(env, id) });
  const c = inspect.data;

  if (inspect.error) {
    const gone = inspect.error instanceof ApiError && inspect.error.status === 404;
    return (
      <>
        <PageHeader title="Container" />
        {gone ? (
          <p className="rounded-md border border-line bg-panel p-4 text-sm" role="status">
            This container does not exist (any more) in environment {env}. <Link href="/containers" className="text-accent underline">Back to containers</Link>
          </p>
        ) : <ErrorBox error={inspect.error} what="the container" />}
      </>
    );
  }
  if (!c) return <Loading what="the container" />;

  const name = c.Name.replace(/^\//, '');
  const running = c.State.Running && !c.State.Paused;
  const setTab = (next: string) => router.replace(`${pathname}?tab=${next}`, { scroll: false });

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3">
      <PageHeader
        title={<span className="flex items-center gap-3"><span data-container-name>{name}</span><StateBadge container={{ State: c.State.Status, Status: c.State.Running ? 'Up' : `Exited (${c.State.ExitCode})` }} /></span>}
        subtitle={<><Link href="/containers" className="text-accent hover:underline">Containers</Link> / <span className="font-mono">{c.Id.slice(0, 12)}</span> · {c.Config.Image}</>}
        actions={(
          <>
            <ContainerUpdate env={env} c={c} canWrite={canWrite} />
            {canWrite && <ContainerActionsBar env={env} c={c} />}
            {canWrite && <Link href={`/containers/new?from=${encodeURIComponent(c.Id)}`} className={buttonClass('default', 'sm')}>Duplicate / edit</Link>}
            <SaveAsTemplate env={env} container={c.Id} />
          </>
        )}
      />
      <Tabs tabs={TABS} value={tab} onChange={setTab} label="Container views" />
      <div className="flex min-h-0 flex-1 flex-col" role="tabpanel" aria-label={TABS.find((t) => t.id === tab)?.label}>
        {tab === 'overview' && <ContainerOverview c={c} host={host} />}
        {tab === 'logs' && <LogViewer key={c.Id} env={env} container={c.Id} name={name} tty={Boolean(c.Config.Tty)} />}
        {tab === 'console' && <ExecConsole env={env} container={c.Id} running={running} />}
        {tab === 'stats' && <ContainerStats env={env} container={c.Id} running={c.State.Running} memoryLimit={c.HostConfig.Memory} />}
        {tab === 'top' && <ContainerTop env={env} container={c.Id} running={c.State.Running} />}
        {tab === 'inspect' && <JsonView value={c} name={`docker inspect ${name}`} />}
        {tab === 'kernel' && <UnderTheHood key={`${c.Id}-${c.State.StartedAt}`} env={env} container={c.Id} />}
        {tab === 'edit' && (
          canWrite ? (
            <div className="space-y-4">
              <UpdateLimits key={`${c.HostConfig.Memory}-${c.HostConfig.NanoCpus}-${c.HostConfig.MemoryReservation}-${c.HostConfig.PidsLimit}`} env={env} c={c} />
              <CommitImage env={env} container={c.Id} />
            </div>
          ) : <p className="text-sm text-muted">Your role cannot change containers.</p>
        )}
      </div>
    </div>
  );
}
