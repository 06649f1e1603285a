/**
 * Counts failures per key in a sliding window: once `max` failures happened within
 * `windowMs`, the key is blocked until the oldest of them leaves the window.
 */
export class RateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly max: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.max) return 0;
    return recent[recent.length - this.max]! + this.windowMs - this.now();
  }

  fail(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.set(key, recent);
    // Bound memory under a flood of distinct keys: forget keys whose window has passed.
    if (this.failures.size > 10_000) for (const k of this.failures.keys()) if (this.recent(k).length === 0) this.failures.delete(k);
  }

  /** Takes back the most recent failure of `key` (an attempt counted in advance that succeeded). */
  forgiveOne(key: string): void {
    this.failures.get(key)?.pop();
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }
}
