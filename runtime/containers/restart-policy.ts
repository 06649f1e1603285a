import type { RestartPolicy } from './types.ts';

/**
 * Docker's restart manager rules (moby's restartmanager.ShouldRestart): `always` and
 * `unless-stopped` restart on any exit, `on-failure[:N]` on a non-zero code while fewer than N
 * restarts were made (N = 0: no limit), `no` never; a manual stop or kill wins over all of them.
 */
export function shouldRestart(p: RestartPolicy | undefined, manuallyStopped: boolean, code: number, restartCount: number): boolean {
  if (!p || manuallyStopped) return false;
  switch (p.Name) {
    case 'always':
    case 'unless-stopped': return true;
    case 'on-failure': return code !== 0 && (!p.MaximumRetryCount || restartCount < p.MaximumRetryCount);
    default: return false;
  }
}

/** The policies that bring a container back when the engine starts, unless it was stopped by hand. */
export function restartsAtBoot(p: RestartPolicy | undefined): boolean {
  return p?.Name === 'always' || p?.Name === 'unless-stopped';
}

/** moby's back-off: 100 ms, doubling after each quick exit up to a minute; a run of 10 s or more resets it. */
export const BACKOFF = { first: 100, max: 60_000, resetAfter: 10_000 } as const;

export function nextDelay(previous: number | undefined, ranFor: number): number {
  if (previous === undefined || ranFor >= BACKOFF.resetAfter) return BACKOFF.first;
  return Math.min(previous * 2, BACKOFF.max);
}
