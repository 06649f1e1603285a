import { threadId } from 'node:worker_threads';
import { TurnBatch } from '../../util/turn-batch.ts';
import { WorkerLost, WorkerRpc } from '../../util/workers/rpc.ts';
import type { WorkerEntry } from '../../util/workers/spawn.ts';
import type { ConvertItem, ConvertReply, ConvertRequest } from './convert-protocol.ts';
import { JsonLogConverter, type ConverterPaths, type Converted } from './json-converter.ts';
import type { RotationLimits } from './json-writer.ts';

const ENTRY = { source: './convert-worker.ts', bundled: 'log-convert-worker.mjs' };

/** A conversion the worker did not answer because it was lost. */
const LOST = Symbol('lost');

/** Where a conversion stands, and the thread that ran it. */
export interface Conversion { converted?: Converted; threadId: number }

/** Runs the json-file conversions of the engine's containers. */
export interface ConvertBackend {
  convert(key: string, paths: ConverterPaths, limits: RotationLimits): Promise<Conversion>;
  /** The container is going: stop converting it (a conversion under way finishes first). */
  close(key: string): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Conversions in one worker thread (convert-worker.ts), started at the first and not holding
 * the process open while idle; those asked for in one turn of the event loop go in one message
 * (a poll tick wakes every running container at once). A container whose conversion was under
 * way when the worker was lost is converted on this thread from then on; a converter resumes
 * from its committed state, so neither a lost worker nor the switch loses or repeats a line. A
 * worker that never started sends every container here.
 */
export class ConvertThread implements ConvertBackend {
  private readonly rpc: WorkerRpc<ConvertRequest, ConvertReply>;
  private closed = false;
  private readonly local = new Map<string, JsonLogConverter>();
  /** Conversions asked for in one turn of the event loop: they go to the worker in one message. */
  private readonly batch = new TurnBatch<ConvertItem, Conversion | Error | typeof LOST>((items) => this.inWorker(items));

  /** @param entry the worker's module (tests give one that fails) */
  constructor(entry: WorkerEntry = ENTRY) {
    this.rpc = new WorkerRpc(import.meta.url, entry);
  }

  async convert(key: string, paths: ConverterPaths, limits: RotationLimits): Promise<Conversion> {
    if (!this.local.has(key) && !this.rpc.broken && !this.closed) {
      const r = await this.batch.add({ key, paths, limits });
      if (r instanceof Error) throw r;
      if (r !== LOST) return r;
    }
    let converter = this.local.get(key);
    if (!converter) this.local.set(key, (converter = new JsonLogConverter(paths, limits)));
    return { converted: await converter.sync(), threadId };
  }

  private async inWorker(items: ConvertItem[]): Promise<(Conversion | Error | typeof LOST)[]> {
    // Shut down (or found broken) since these were asked for: converted here, no worker started again.
    if (this.closed || this.rpc.broken) return items.map(() => LOST);
    try {
      const reply = await this.rpc.request({ op: 'convert', items });
      const results = 'results' in reply ? reply.results : [];
      return items.map((_, i) => {
        const r = results[i];
        if (!r) return new Error('the conversion worker gave no answer for this container');
        if ('error' in r) return Object.assign(new Error(r.error.message), { code: r.error.code });
        return { converted: r.converted, threadId: reply.threadId };
      });
    } catch (e) {
      // Lost with conversions under way: those containers are converted here from now on.
      if (e instanceof WorkerLost) return items.map(() => LOST);
      throw e;
    }
  }

  async close(key: string): Promise<void> {
    const converter = this.local.get(key);
    this.local.delete(key);
    await converter?.close();
    if (this.rpc.running) await this.rpc.request({ op: 'close', key }).catch(() => undefined);
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.local.keys()].map((key) => this.close(key)));
    await this.rpc.close();
  }
}
