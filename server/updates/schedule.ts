import type { UpdateChecker } from './checker.ts';

export const DEFAULT_UPDATE_INTERVAL_MS = 6 * 60 * 60 * 1000;

/**
 * Runs the update check every `intervalMs`, first one interval after start-up: start-up never
 * waits on a registry. The timer is unref'd so it never keeps the process alive.
 */
export function scheduleUpdateChecks(checker: UpdateChecker, intervalMs: number, log: (line: string) => void): { stop(): void } {
  const timer = setInterval(() => {
    checker.checkAll().catch((e: unknown) => log(`update check failed: ${(e as Error).message}`));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
