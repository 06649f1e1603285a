/**
 * What is asked for in one turn of the event loop, handled together: one message to a worker
 * thread for all of it (the counter files of every container a `docker stats` reads, the log
 * conversions a poll tick wakes) rather than one each. `run` answers each item in its place;
 * when it fails, every item of that batch fails with its error.
 */
export class TurnBatch<I, R> {
  private queued: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly run: (items: I[]) => Promise<R[]>) {}

  add(item: I): Promise<R> {
    return new Promise((resolve, reject) => {
      if (this.queued.length === 0) setImmediate(() => this.flush());
      this.queued.push({ item, resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    this.run(batch.map((j) => j.item)).then(
      (results) => batch.forEach((j, i) => j.resolve(results[i]!)),
      (e: unknown) => batch.forEach((j) => j.reject(e)),
    );
  }
}
