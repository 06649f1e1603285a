import type { ContainerInspect } from '../../api/docker-types.ts';
import { formatDate } from '../../format.ts';
import { Badge } from '../../ui/badge.tsx';
import { SimpleTable } from '../../ui/resource-details.tsx';

type Health = NonNullable<ContainerInspect['State']['Health']>;

/** The health check's status as a badge, in the list's colours. */
export function HealthBadge({ health }: { health: Health | null | undefined }) {
  const status = health?.Status;
  if (!health || !status || status === 'none') return <span className="text-muted">no health check</span>;
  const tone = status === 'healthy' ? 'success' : status === 'unhealthy' ? 'danger' : 'warning';
  return (
    <span data-health={status}>
      <Badge tone={tone} title={`failing streak: ${health.FailingStreak ?? 0}`}>{status}</Badge>
    </span>
  );
}

/** The last probes, newest first; their output is shown as text, never as markup. */
export function HealthProbes({ health }: { health: Health }) {
  const log = (health.Log ?? []).filter((r) => r !== null).reverse();
  return (
    <div data-health-probes>
      <p className="mb-2 text-sm text-muted">Failing streak: {health.FailingStreak ?? 0}</p>
      <SimpleTable headers={['Time', 'Exit code', 'Output']} empty="No probe has run yet"
        rows={log.map((r) => [
          <span key="t" className="whitespace-nowrap">{formatDate(r.Start)}</span>,
          <span key="c" className={r.ExitCode === 0 ? 'text-success' : 'text-danger'} data-probe-exit={r.ExitCode}>{String(r.ExitCode)}</span>,
          <pre key="o" className="font-mono text-xs whitespace-pre-wrap">{r.Output ?? ''}</pre>,
        ])} />
    </div>
  );
}
