/** Work under way that later work must not overtake: `settled()` waits for what was started before it. */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Run `work` and keep it in view until it settles; its result or failure is the caller's. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const drop = (): void => { this.pending.delete(work); };
    work.then(drop, drop);
    return work;
  }

  /** Resolves once everything tracked so far has settled, however it ended. */
  async settled(): Promise<void> {
    if (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
