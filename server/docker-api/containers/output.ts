import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Write with backpressure; false when the peer is gone. */
export async function writeOut(dest: Writable, buf: Buffer): Promise<boolean> {
  if (dest.destroyed || dest.writableEnded) return false;
  if (dest.write(buf)) return true;
  const closed = once(dest, 'close').then(() => false);
  return Promise.race([once(dest, 'drain').then(() => true), closed]);
}
