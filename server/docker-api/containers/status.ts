import type * as Docker from '../../protocol/docker-api.ts';
import type { ContainerState } from '../../../runtime/index.ts';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** The health a container's state may carry (set by the health checker when there is one). */
export type Health = Docker.Health;

export function healthOf(state: ContainerState): Health | undefined {
  return (state as ContainerState & { Health?: Health }).Health;
}

/** `none` without a health check, else the check's status (the `health` filter's values). */
export function healthString(state: ContainerState): string {
  return healthOf(state)?.Status ?? 'none';
}

/** Docker's StateString: one word, as `docker ps --filter status=` matches it. */
export function stateString(s: ContainerState): NonNullable<NonNullable<Docker.ContainerState>['Status']> {
  if (s.Restarting) return 'restarting';
  if (s.Running) return s.Paused ? 'paused' : 'running';
  if (s.Status === 'removing') return 'removing';
  if (s.Dead) return 'dead';
  if (s.StartedAt === ZERO_TIME || !s.StartedAt) return 'created';
  return 'exited';
}

/** Docker's State.String(): `Up 3 seconds`, `Exited (0) 2 minutes ago`, `Created`... */
export function statusString(s: ContainerState, now = Date.now()): string {
  const since = (t: string): string => humanDuration(now - Date.parse(t));
  if (s.Restarting) return `Restarting (${s.ExitCode}) ${since(s.FinishedAt)} ago`;
  if (s.Running) {
    if (s.Paused) return `Up ${since(s.StartedAt)} (Paused)`;
    const h = healthOf(s);
    if (h) return `Up ${since(s.StartedAt)} (${h.Status === 'starting' ? 'health: starting' : h.Status})`;
    return `Up ${since(s.StartedAt)}`;
  }
  if (s.Status === 'removing') return 'Removal In Progress';
  if (s.Dead) return 'Dead';
  if (s.StartedAt === ZERO_TIME || !s.StartedAt) return 'Created';
  if (s.FinishedAt === ZERO_TIME || !s.FinishedAt) return '';
  return `Exited (${s.ExitCode}) ${since(s.FinishedAt)} ago`;
}

/** go-units HumanDuration, which the CLI and dockerd use for every "ago". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}
