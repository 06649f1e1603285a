/**
 * Exponential back-off per key: the first `free` failures cost nothing, each one after that
 * doubles the wait (from `baseMs` up to `maxMs`) before the key may try again. A success
 * resets the key; a key quiet for `forgetMs` is forgotten.
 */
export class Backoff {
  private readonly state = new Map<string, { failures: number; last: number }>();

  constructor(
    private readonly opts: { free: number; baseMs: number; maxMs: number; forgetMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string): number {
    const s = this.current(key);
    if (!s || s.failures < this.opts.free) return 0;
    const wait = Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** (s.failures - this.opts.free));
    return Math.max(0, s.last + wait - this.now());
  }

  fail(key: string): void {
    const s = this.current(key) ?? { failures: 0, last: 0 };
    this.state.set(key, { failures: s.failures + 1, last: this.now() });
    // Bound memory under a flood of distinct keys.
    if (this.state.size > 10_000) for (const k of [...this.state.keys()]) if (!this.current(k)) this.state.delete(k);
  }

  reset(key: string): void {
    this.state.delete(key);
  }

  private current(key: string): { failures: number; last: number } | undefined {
    const s = this.state.get(key);
    return s && this.now() - s.last < this.opts.forgetMs ? s : undefined;
  }
}
