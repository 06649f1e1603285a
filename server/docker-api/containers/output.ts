import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { LogChunk } from '../../../runtime/index.ts';
import { frame } from '../stream.ts';

/**
 * One piece of container output as the client reads it: raw bytes for a TTY container,
 * stdcopy frames otherwise; with timestamps each record is prefixed as `docker logs -t` shows
 * (`2006-01-02T15:04:05.000000000Z `).
 */
export function encodeChunk(chunk: LogChunk, tty: boolean, timestamps = false): Buffer {
  const data = timestamps ? Buffer.concat([Buffer.from(`${chunk.time} `), chunk.data]) : chunk.data;
  return tty ? data : frame(chunk.stream === 'stderr' ? 2 : 1, data);
}

/** Write with backpressure; false when the peer is gone. */
export async function writeOut(dest: Writable, buf: Buffer): Promise<boolean> {
  if (dest.destroyed || dest.writableEnded) return false;
  if (dest.write(buf)) return true;
  const closed = once(dest, 'close').then(() => false);
  return Promise.race([once(dest, 'drain').then(() => true), closed]);
}
