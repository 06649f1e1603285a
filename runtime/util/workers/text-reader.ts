import { readFile } from 'node:fs/promises';
import { TurnBatch } from '../turn-batch.ts';
import { WorkerRpc } from './rpc.ts';
import type { TextBatch, TextBatchReply } from './text-reader-protocol.ts';

const ENTRY = { source: './text-reader-worker.ts', bundled: 'text-reader-worker.mjs' };

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
  private closed = false;
  private readonly batch = new TurnBatch<string, string | undefined>(async (paths) => {
    if (this.closed || this.rpc.broken) throw new Error('the reader thread is gone');
    const m = await this.rpc.request({ paths });
    return paths.map((_, i) => m.texts[i] ?? undefined);
  });

  read(path: string): Promise<string | undefined> {
    if (this.closed || this.rpc.broken) return readTextAsync(path);
    // A batch the worker does not answer (it failed, or the reader was closed) is read here.
    return this.batch.add(path).catch(() => readTextAsync(path));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.rpc.close();
  }
}
