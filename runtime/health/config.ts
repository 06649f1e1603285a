import { InvalidArgumentError } from '../errors.ts';
import type { HealthConfig } from './types.ts';

const SECOND = 1e9;
/** dockerd's defaults for a field left unset or 0. */
export const DEFAULTS = { Interval: 30 * SECOND, Timeout: 30 * SECOND, Retries: 3, StartPeriod: 0, StartInterval: 5 * SECOND } as const;
/** dockerd refuses durations below a millisecond (other than 0, which means the default). */
const MINIMUM_NS = 1e6;
const DURATIONS = ['Interval', 'Timeout', 'StartPeriod', 'StartInterval'] as const;

/**
 * The container's health check, merged with its image's as dockerd merges them: no check of its
 * own takes the image's, and every field left empty or 0 takes the image's value.
 */
export function mergeHealthcheck(own: HealthConfig | null | undefined, image: HealthConfig | null | undefined): HealthConfig | undefined {
  if (own) validateHealthcheck(own);
  if (!own) return image ?? undefined;
  if (!image) return own;
  const out: HealthConfig = { ...own };
  if (!out.Test?.length) out.Test = image.Test;
  for (const k of [...DURATIONS, 'Retries'] as const) if (!out[k] && image[k]) out[k] = image[k];
  return out;
}

/** dockerd's checks of a health check at create. */
export function validateHealthcheck(h: HealthConfig): void {
  for (const k of DURATIONS) {
    const v = h[k];
    if (v && v < MINIMUM_NS) throw new InvalidArgumentError(`${k} in Healthcheck cannot be less than 1ms`, { field: `Healthcheck.${k}` });
  }
  if (h.Retries !== undefined && h.Retries < 0) throw new InvalidArgumentError('Retries in Healthcheck cannot be negative', { field: 'Healthcheck.Retries' });
}

/** The effective schedule in milliseconds, with dockerd's defaults for what is unset or 0. */
export interface ProbeSchedule { interval: number; timeout: number; retries: number; startPeriod: number; startInterval: number }

export function scheduleOf(h: HealthConfig): ProbeSchedule {
  const ms = (v: number | undefined, d: number): number => (v && v > 0 ? v : d) / 1e6;
  return {
    interval: ms(h.Interval, DEFAULTS.Interval),
    timeout: ms(h.Timeout, DEFAULTS.Timeout),
    retries: h.Retries && h.Retries > 0 ? h.Retries : DEFAULTS.Retries,
    startPeriod: ms(h.StartPeriod, DEFAULTS.StartPeriod),
    startInterval: ms(h.StartInterval, DEFAULTS.StartInterval),
  };
}

/**
 * The command a probe runs: `CMD` execs its arguments, `CMD-SHELL` runs its string through the
 * shell. `NONE`, an empty test or an unknown kind disable the check (dockerd runs no probe then).
 */
export function probeCommand(h: HealthConfig | null | undefined, shell: readonly string[] = ['/bin/sh', '-c']): string[] | undefined {
  const test = h?.Test ?? [];
  const args = test.slice(1);
  if (test[0] === 'CMD' && args.length) return args;
  if (test[0] === 'CMD-SHELL' && args.length) return [...shell, args.join(' ')];
  return undefined;
}
