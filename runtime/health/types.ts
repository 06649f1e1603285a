/** The health-check configuration of a container or image (Docker's HealthConfig; durations in ns). */
export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

/** One probe's result as `docker inspect` lists it under State.Health.Log. */
export interface HealthcheckResult {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

/** State.Health: persisted with the container's state. */
export interface Health {
  Status: HealthStatus;
  FailingStreak: number;
  /** The last results, oldest first. */
  Log: HealthcheckResult[];
}
