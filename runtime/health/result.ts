import type { Health, HealthcheckResult } from './types.ts';

/** dockerd keeps the last five results. */
export const MAX_LOG_ENTRIES = 5;

/**
 * dockerd's handleProbeResult: exit code 0 is healthy and clears the streak; any other result
 * counts towards `retries`, except while the container is still starting within its start
 * period. Returns the new health (the input is not changed).
 */
export function applyResult(h: Health, r: HealthcheckResult, o: { retries: number; startPeriod: number; startedAt: string }): Health {
  const Log = [...h.Log, r].slice(-MAX_LOG_ENTRIES);
  if (r.ExitCode === 0) return { Status: 'healthy', FailingStreak: 0, Log };
  const inStartPeriod = h.Status === 'starting' && Date.parse(r.Start) - Date.parse(o.startedAt) < o.startPeriod;
  if (inStartPeriod) return { ...h, Log };
  const FailingStreak = h.FailingStreak + 1;
  return { Status: FailingStreak >= o.retries ? 'unhealthy' : h.Status, FailingStreak, Log };
}
