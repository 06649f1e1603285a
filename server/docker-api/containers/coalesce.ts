import type { ServerResponse } from 'node:http';
import { writeOut } from './output.ts';

/** Output is written in pieces of about this size when it comes faster than the client reads. */
const PIECE = 64 * 1024;

/**
 * Gathers a log's frames into larger writes: one HTTP chunk per line costs more than the line
 * itself when a client reads a million of them. What is gathered goes out once it reaches
 * PIECE, or at the next turn of the event loop (when the reader waits on the file or on the
 * container), so a follower still sees each line as soon as it is read.
 */
export class Coalescer {
  private parts: Buffer[] = [];
  private size = 0;
  private timer: NodeJS.Immediate | undefined;

  constructor(private readonly res: ServerResponse) {}

  /** Queue a frame; false once the client is gone. */
  async add(buf: Buffer): Promise<boolean> {
    this.parts.push(buf);
    this.size += buf.length;
    if (this.size >= PIECE) {
      this.cancel();
      return writeOut(this.res, this.take());
    }
    this.timer ??= setImmediate(() => {
      this.timer = undefined;
      if (this.size > 0 && !this.res.destroyed) this.res.write(this.take());
    });
    return !this.res.destroyed;
  }

  end(): void {
    this.cancel();
    if (this.size > 0 && !this.res.destroyed) this.res.write(this.take());
    this.res.end();
  }

  cancel(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
  }

  private take(): Buffer {
    const data = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    return data;
  }
}
