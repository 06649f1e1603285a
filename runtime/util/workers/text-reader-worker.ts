/**
 * Reads batches of small kernel files (cgroup and /proc counters) synchronously. Such a file
 * answers a read in microseconds; read through the promise API on the event loop, each costs
 * several thread-pool round trips, and a `docker stats` of a hundred containers reads two
 * thousand of them.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { Envelope } from './rpc.ts';
import type { TextBatch, TextBatchReply } from './text-reader-protocol.ts';

parentPort!.on('message', (m: Envelope<TextBatch>) => {
  const texts = m.paths.map((p) => {
    try { return readFileSync(p, 'utf8'); } catch { return null; }
  });
  parentPort!.postMessage({ id: m.id, texts } satisfies TextBatchReply);
});
