/**
 * One clock for many waiters, as dockerd's stats collector is: every waiter is woken in the
 * same turn of the event loop, so what they then start together goes to a worker in one batch
 * (the counter files of every container a `docker stats` watches, the log conversions of every
 * running container) rather than one batch each. The interval runs only while someone waits.
 */
export class Ticker {
  private readonly waiters = new Set<(ticked: boolean) => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {}

  /** Whether the interval runs (someone waits, or waited at the last tick). */
  get running(): boolean {
    return this.timer !== undefined;
  }

  /** True at the next tick; false at once, or as soon as `signal` aborts. */
  next(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.waiters.delete(wake);
        if (this.waiters.size === 0) this.stop();
        resolve(false);
      };
      const wake = (ticked: boolean): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(ticked);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(wake);
      // Like a timer of its own, it holds the process open while someone waits.
      this.timer ??= setInterval(() => this.tick(), this.ms);
    });
  }

  private tick(): void {
    // A tick nobody waited for ends the interval; the next waiter starts a new one.
    if (this.waiters.size === 0) return this.stop();
    const woken = [...this.waiters];
    this.waiters.clear();
    for (const wake of woken) wake(true);
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
