import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { LogChunk } from '../../../runtime/index.ts';
import { frame } from '../stream.ts';

/** Output is written in pieces of about this size when it comes faster than the client reads. */
const PIECE = 64 * 1024;

/**
 * Gathers container output into large writes. A stdcopy frame may carry any run of one
 * stream's bytes, so consecutive chunks of one stream share a frame: the docker CLI copies
 * each frame with its own write(2), and a frame per line made a million-line log cost a
 * million system calls in the client. What is gathered goes out once it reaches PIECE, or at
 * the next turn of the event loop (when the reader waits on the file or on the container), so
 * a follower still sees each line as soon as it is read.
 */
export class OutputWriter {
  /** Finished frames (raw bytes for a TTY), ready to write. */
  private ready: Buffer[] = [];
  /** The run of one stream still growing. */
  private run: Buffer[] = [];
  private runStream: 1 | 2 = 1;
  private size = 0;
  private timer: NodeJS.Immediate | undefined;

  constructor(private readonly dest: Writable, private readonly tty: boolean, private readonly timestamps = false) {}

  /** Queue a chunk; false once the client is gone. */
  async add(chunk: LogChunk): Promise<boolean> {
    const stream = chunk.stream === 'stderr' ? 2 : 1;
    if (stream !== this.runStream) this.closeRun();
    this.runStream = stream;
    if (this.timestamps) this.push(Buffer.from(`${chunk.time} `));
    this.push(chunk.data);
    if (this.size >= PIECE) {
      this.cancel();
      return writeOut(this.dest, this.take());
    }
    this.timer ??= setImmediate(() => this.flush());
    // A flush at the next turn writes without waiting: while the client has not taken what
    // was written before, the reader waits here too, so a slow client holds the reader back
    // (in the log file) instead of the output piling up in memory.
    if (this.dest.writableNeedDrain) return drained(this.dest);
    return !this.gone();
  }

  /** Write what is left (the caller ends the stream). */
  flush(): void {
    this.cancel();
    if (this.size > 0 && !this.gone()) this.dest.write(this.take());
  }

  cancel(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
  }

  private push(buf: Buffer): void {
    this.run.push(buf);
    this.size += buf.length;
  }

  private closeRun(): void {
    if (this.run.length === 0) return;
    const data = this.run.length === 1 ? this.run[0]! : Buffer.concat(this.run);
    this.ready.push(this.tty ? data : frame(this.runStream, data));
    this.run = [];
  }

  private take(): Buffer {
    this.closeRun();
    const data = this.ready.length === 1 ? this.ready[0]! : Buffer.concat(this.ready);
    this.ready = [];
    this.size = 0;
    return data;
  }

  private gone(): boolean {
    return this.dest.destroyed || this.dest.writableEnded;
  }
}

/** Write with backpressure; false when the peer is gone. */
async function writeOut(dest: Writable, buf: Buffer): Promise<boolean> {
  if (dest.destroyed || dest.writableEnded) return false;
  if (dest.write(buf)) return true;
  return drained(dest);
}

/** Resolves when `dest` wants more (true) or is gone (false). */
async function drained(dest: Writable): Promise<boolean> {
  if (dest.destroyed || dest.writableEnded) return false;
  // The loser's listener goes too: a long stalled client waits here many times.
  const done = new AbortController();
  const { signal } = done;
  const closed = once(dest, 'close', { signal }).then(() => false, () => false);
  try {
    return await Promise.race([once(dest, 'drain', { signal }).then(() => true, () => false), closed]);
  } finally {
    done.abort();
  }
}
