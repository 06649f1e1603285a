import { threadId } from 'node:worker_threads';
import { WorkerLost, WorkerRpc } from '../../util/workers/rpc.ts';
import type { WorkerEntry } from '../../util/workers/spawn.ts';
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

/**
 * Conversions in one worker thread (convert-worker.ts), started at the first and not holding
 * the process open while idle. A container whose conversion was under way when the worker was
 * lost is converted on this thread from then on; a converter resumes from its committed state,
 * so neither a lost worker nor the switch loses or repeats a line. A worker that never started
 * sends every container here.
 */
export class ConvertThread implements ConvertBackend {
  private readonly rpc: WorkerRpc<ConvertRequest, ConvertReply>;
  private closed = false;
  private readonly local = new Map<string, JsonLogConverter>();

  /** @param entry the worker's module (tests give one that fails) */
  constructor(entry: WorkerEntry = ENTRY) {
    this.rpc = new WorkerRpc(import.meta.url, entry);
  }

  async convert(key: string, paths: ConverterPaths, limits: RotationLimits): Promise<Conversion> {
    if (!this.local.has(key) && !this.rpc.broken && !this.closed) {
      try {
        const reply = await this.rpc.request({ op: 'convert', key, paths, limits });
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
    if (this.rpc.running) await this.rpc.request({ op: 'close', key }).catch(() => undefined);
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.local.keys()].map((key) => this.close(key)));
    await this.rpc.close();
  }
}
