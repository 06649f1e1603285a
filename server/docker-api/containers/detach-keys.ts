import { Transform, type TransformCallback } from 'node:stream';
import { badRequest } from '../errors.ts';

const CTRL = ['@', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '[', '\\', ']', '^', '_'];

/**
 * Docker's detach key spelling (`ctrl-p,ctrl-q`, `a,ctrl-\`) as bytes; the default is ctrl-p
 * ctrl-q. dockerd calls them escape keys when an exec is created with them.
 */
export function parseDetachKeys(spec: string | null | undefined, word: 'detach' | 'escape' = 'detach'): Buffer {
  if (!spec) return Buffer.of(16, 17);
  const codes: number[] = [];
  for (const key of spec.split(',')) {
    if (key.length === 1) { codes.push(key.charCodeAt(0)); continue; }
    const i = key.toLowerCase().startsWith('ctrl-') && key.length === 6 ? CTRL.indexOf(key.slice(5).toLowerCase()) : -1;
    if (i < 0) throw badRequest(`Invalid ${word} keys (${spec}) provided`);
    codes.push(i);
  }
  return Buffer.from(codes);
}

/**
 * Passes the client's input through until it contains the detach sequence, then emits
 * `detach` and ends, without the sequence. Bytes that only began the sequence are passed on
 * once it is clear they were input, as moby's escape proxy does.
 */
export class DetachFilter extends Transform {
  private matched = 0;
  private detached = false;

  constructor(private readonly keys: Buffer) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.detached) { cb(); return; }
    const out: number[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) {
          if (out.length) this.push(Buffer.from(out));
          this.detached = true;
          this.emit('detach');
          this.push(null);
          cb();
          return;
        }
        continue;
      }
      for (let j = 0; j < this.matched; j++) out.push(this.keys[j]!);
      this.matched = 0;
      if (b === this.keys[0]) this.matched = 1;
      else out.push(b);
    }
    if (out.length) this.push(Buffer.from(out));
    cb();
  }

  override _flush(cb: TransformCallback): void {
    if (this.matched && !this.detached) this.push(this.keys.subarray(0, this.matched));
    cb();
  }
}
