import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { TreeSizeOptions, WorkerReply, WorkerRequest } from './protocol.ts';
import { spawnWorker } from './spawn.ts';

/** The walker's code (tree-size-worker.ts). */
const ENTRY = { source: './tree-size-worker.ts', bundled: 'tree-size-worker.mjs' };

interface Job { request: WorkerRequest; resolve: (n: number) => void; reject: (e: Error) => void }

/**
 * A small, bounded pool of worker threads that measure directory trees. At most `size` walks
 * run at once, whatever the number of callers: a `system df` over a thousand containers queues
 * here instead of starting a thousand walks. Workers start on demand and do not keep the
 * process alive.
 */
export class TreeWalker {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private readonly live = new Set<Worker>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly size = Math.max(1, Math.min(2, availableParallelism() - 1))) {}

  /** Bytes under `dir` (see tree-size-worker.ts for what counts). */
  treeSize(dir: string, options: TreeSizeOptions = {}): Promise<number> {
    if (this.closed) return Promise.reject(new Error('tree walker closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, dir, options }, resolve, reject });
      this.pump();
    });
  }

  /** Jobs waiting or running: what `/api/health` shows as the walker's backlog. */
  get pending(): number {
    return this.queue.length + this.busy.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('tree walker closed'));
    this.idle.length = 0;
    await Promise.all([...this.live].map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.queue.length) {
      const worker = this.idle.pop() ?? (this.live.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.ref();
      worker.postMessage(job.request);
    }
  }

  private spawn(): Worker {
    const worker = spawnWorker(import.meta.url, ENTRY);
    this.live.add(worker);
    worker.on('message', (reply: WorkerReply) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      worker.unref();
      if (job) {
        if (reply.ok) job.resolve(reply.value);
        else job.reject(new Error(reply.error));
      }
      if (!this.closed) this.idle.push(worker);
      this.pump();
    });
    worker.on('error', (e) => {
      this.busy.get(worker)?.reject(e);
      this.forget(worker);
    });
    worker.on('exit', () => {
      this.busy.get(worker)?.reject(new Error('tree walker worker exited'));
      this.forget(worker);
    });
    return worker;
  }

  /** A worker that failed or exited: its job fails, and the next job gets a fresh worker. */
  private forget(worker: Worker): void {
    if (!this.live.delete(worker)) return;
    this.busy.delete(worker);
    const i = this.idle.indexOf(worker);
    if (i >= 0) this.idle.splice(i, 1);
    if (!this.closed) this.pump();
  }
}
