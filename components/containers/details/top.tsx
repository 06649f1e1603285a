'use client';

import { useQuery } from '@tanstack/react-query';
import { containers } from '../../api/docker.ts';
import { qk } from '../../query-keys.ts';
import { ErrorBox, Loading } from '../../ui/layout.tsx';
import { SimpleTable } from '../../ui/resource-details.tsx';

/** `docker top`: the container's processes, refreshed every few seconds while this tab is open. */
export function ContainerTop({ env, container, running }: { env: string; container: string; running: boolean }) {
  const top = useQuery({
    queryKey: qk.containerTop(env, container),
    queryFn: () => containers.top(env, container),
    enabled: running,
    // Processes change without engine events; this tab is the one place that asks again.
    refetchInterval: 3000,
  });
  if (!running) return <p className="text-sm text-muted">The container is not running.</p>;
  if (top.error) return <ErrorBox error={top.error} what="the processes" />;
  if (!top.data) return <Loading what="processes" />;
  return (
    <div data-top>
      <SimpleTable headers={top.data.Titles} rows={top.data.Processes.map((p) => p.map((cell, i) => <span key={i} className="font-mono text-xs">{cell}</span>))} />
    </div>
  );
}
