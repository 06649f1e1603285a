import { threadId, type Worker } from 'node:worker_threads';
import { spawnWorker, type WorkerEntry } from '../../util/workers/spawn.ts';
import type { ConvertReply, ConvertRequest } from './convert-protocol.ts';
import { JsonLogConverter, type ConverterPaths, type Converted } from './json-converter.ts';
import type { RotationLimits } from './json-writer.ts';

const ENTRY = { source: './convert-worker.ts', bundled: 'log-convert-worker.mjs' };

/** Where a conversion stands, and the thread that ran it. */
export interface Conversion { converted?: Converted; threadId: number }

/** Runs the json-file conversions of the engine's containers. */
export interface ConvertBackend {
  convert(key: string, paths: ConverterPaths, limits: RotationLimits): Promise<Conversion>;
  /** The container is going: stop converting it (a conversion under way finishes first). */
  close(key: string): Promise<void>;
  shutdown(): Promise<void>;
}

class WorkerLost extends Error {}

type Request = ConvertRequest extends infer R ? (R extends ConvertRequest ? Omit<R, 'id'> : never) : never;

/**
 * Conversions in one worker thread (convert-worker.ts), started at the first and not holding
 * the process open while idle. A container whose conversion was under way when the worker was
 * lost is converted on this thread from then on; a converter resumes from its committed state,
 * so neither a lost worker nor the switch loses or repeats a line. A worker that never started
 * sends every container here.
 */
export class ConvertThread implements ConvertBackend {
  private worker: Worker | undefined;
  private broken = false;
  private closed = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: ConvertReply) => void; reject: (e: Error) => void }>();
  private readonly local = new Map<string, JsonLogConverter>();

  /** @param entry the worker's module (tests give one that fails) */
  constructor(private readonly entry: WorkerEntry = ENTRY) {}

  async convert(key: string, paths: ConverterPaths, limits: RotationLimits): Promise<Conversion> {
    if (!this.local.has(key) && !this.broken && !this.closed) {
      try {
        const reply = await this.request({ op: 'convert', key, paths, limits });
        if ('error' in reply) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
        return reply;
      } catch (e) {
        if (!(e instanceof WorkerLost)) throw e;
      }
    }
    let converter = this.local.get(key);
    if (!converter) this.local.set(key, (converter = new JsonLogConverter(paths, limits)));
    return { converted: await converter.sync(), threadId };
  }

  async close(key: string): Promise<void> {
    const converter = this.local.get(key);
    this.local.delete(key);
    await converter?.close();
    if (this.worker) await this.request({ op: 'close', key }).catch(() => undefined);
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.local.keys()].map((key) => this.close(key)));
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private request(body: Request): Promise<ConvertReply> {
    const w = this.worker ??= this.spawn();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ ...body, id } as ConvertRequest);
    });
  }

  private spawn(): Worker {
    const w = spawnWorker(import.meta.url, this.entry);
    let answered = false;
    w.on('message', (m: ConvertReply) => {
      answered = true;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m);
      if (this.pending.size === 0) w.unref();
    });
    // 'error' is followed by 'exit'; only then is the thread surely done writing.
    w.on('error', () => undefined);
    w.on('exit', () => {
      if (this.worker === w) this.worker = undefined;
      if (!answered) this.broken = true;
      const lost = [...this.pending.values()];
      this.pending.clear();
      for (const p of lost) p.reject(new WorkerLost('the log conversion thread exited'));
    });
    w.unref();
    return w;
  }
}
