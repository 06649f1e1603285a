import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * Reads a stream of JSON documents (Docker's `/events`, `/stats?stream=1`: one per line,
 * though engines differ on the newline) and calls `onValue` for each as it completes.
 */
export function readJsonLines(stream: Readable, onValue: (value: unknown) => void): void {
  const decoder = new StringDecoder('utf8');
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += decoder.write(chunk);
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line === '') continue;
      try {
        onValue(JSON.parse(line));
      } catch { /* a malformed line is skipped; the stream goes on */ }
    }
  });
}
