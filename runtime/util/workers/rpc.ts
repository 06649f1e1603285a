import type { Worker } from 'node:worker_threads';
import { spawnWorker, type WorkerEntry } from './spawn.ts';

/** The worker exited, or never started, before it answered. */
export class WorkerLost extends Error {}

/** What goes to the worker: the request with the `id` its answer carries back. */
export type Envelope<T> = T & { id: number };

/**
 * Requests to a worker thread, each answered by one message carrying the request's `id`. The
 * worker starts at the first request and holds the process open only while a request waits.
 * When it exits, the requests still waiting fail with WorkerLost and the next request starts a
 * new worker; one that exits without ever answering marks the entry `broken`.
 */
export class WorkerRpc<Req extends object, Rep extends { id: number }> {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: Rep) => void; reject: (e: Error) => void }>();
  /** A worker of this entry exited before its first answer: it cannot start here. */
  broken = false;

  /** @param callerUrl the `import.meta.url` `entry` is resolved against */
  constructor(private readonly callerUrl: string, private readonly entry: WorkerEntry) {}

  get running(): boolean {
    return this.worker !== undefined;
  }

  request(body: Req): Promise<Rep> {
    const w = this.worker ??= this.spawn();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ ...body, id } satisfies Envelope<Req>);
    });
  }

  /** Ends the worker; requests still waiting fail with WorkerLost. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private spawn(): Worker {
    const w = spawnWorker(this.callerUrl, this.entry);
    let answered = false;
    w.on('message', (m: Rep) => {
      answered = true;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m);
      if (this.pending.size === 0) w.unref();
    });
    // 'error' is followed by 'exit'; only then is the thread surely done.
    w.on('error', () => undefined);
    w.on('exit', () => {
      if (this.worker === w) this.worker = undefined;
      if (!answered) this.broken = true;
      const lost = [...this.pending.values()];
      this.pending.clear();
      for (const p of lost) p.reject(new WorkerLost('the worker thread exited'));
    });
    w.unref();
    return w;
  }
}
