import { readFile } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from './spawn.ts';
import type { TextBatch, TextBatchReply } from './text-reader-protocol.ts';

const ENTRY = { source: './text-reader-worker.ts', bundled: 'text-reader-worker.mjs' };

interface Pending { path: string; resolve: (text: string | undefined) => void }

/** A file's text through the promise API, or undefined when it cannot be read. */
export async function readTextAsync(path: string): Promise<string | undefined> {
  try { return await readFile(path, 'utf8'); } catch { return undefined; }
}

/**
 * Small files read in a worker thread: every path asked for in one turn of the event loop goes
 * in one batch (the readings of all the containers a `docker stats` samples at once), read
 * there synchronously. The worker starts at the first batch and does not hold the process
 * open; if it fails, the batch is read through the promise API instead.
 */
export class TextReader {
  private worker?: Worker;
  private queued: Pending[] = [];
  private readonly inFlight = new Map<number, Pending[]>();
  private nextId = 1;
  private closed = false;

  read(path: string): Promise<string | undefined> {
    if (this.closed) return readTextAsync(path);
    return new Promise((resolve) => {
      if (this.queued.length === 0) setImmediate(() => this.flush());
      this.queued.push({ path, resolve });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    this.fallBack();
    await w?.terminate();
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    const id = this.nextId++;
    this.inFlight.set(id, batch);
    const w = this.worker ??= this.spawn();
    w.ref();
    w.postMessage({ id, paths: batch.map((p) => p.path) } satisfies TextBatch);
  }

  private spawn(): Worker {
    const w = spawnWorker(import.meta.url, ENTRY);
    w.on('message', (m: TextBatchReply) => {
      const batch = this.inFlight.get(m.id);
      this.inFlight.delete(m.id);
      batch?.forEach((p, i) => p.resolve(m.texts[i] ?? undefined));
      if (this.inFlight.size === 0) w.unref();
    });
    const lost = (): void => {
      if (this.worker === w) this.worker = undefined;
      this.fallBack();
    };
    w.on('error', lost);
    w.on('exit', lost);
    w.unref();
    return w;
  }

  /** Batches a failed or closed worker will not answer are read on this thread instead. */
  private fallBack(): void {
    for (const batch of this.inFlight.values()) for (const p of batch) void readTextAsync(p.path).then(p.resolve);
    this.inFlight.clear();
  }
}
