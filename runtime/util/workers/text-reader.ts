import { readFile } from 'node:fs/promises';
import { WorkerRpc } from './rpc.ts';
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
 * open; a batch it does not answer (it failed, or the reader was closed) is read through the
 * promise API instead, and so is everything once the worker cannot start.
 */
export class TextReader {
  private readonly rpc = new WorkerRpc<TextBatch, TextBatchReply>(import.meta.url, ENTRY);
  private queued: Pending[] = [];
  private closed = false;

  read(path: string): Promise<string | undefined> {
    if (this.closed || this.rpc.broken) return readTextAsync(path);
    return new Promise((resolve) => {
      if (this.queued.length === 0) setImmediate(() => this.flush());
      this.queued.push({ path, resolve });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.rpc.close();
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    const fallBack = (): void => batch.forEach((p) => void readTextAsync(p.path).then(p.resolve));
    if (batch.length === 0) return;
    if (this.closed || this.rpc.broken) return fallBack();
    this.rpc.request({ paths: batch.map((p) => p.path) }).then((m) => batch.forEach((p, i) => p.resolve(m.texts[i] ?? undefined)), fallBack);
  }
}
