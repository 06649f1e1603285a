/**
 * The json-file conversions of every container, in one worker thread: each line of a chatty
 * container is parsed and re-encoded here, off the event loop that serves the users. A
 * container's converter lives here from its first conversion until it is closed.
 */
import { parentPort, threadId } from 'node:worker_threads';
import type { Envelope } from '../../util/workers/rpc.ts';
import type { ConvertReply, ConvertRequest } from './convert-protocol.ts';
import { JsonLogConverter } from './json-converter.ts';

const converters = new Map<string, JsonLogConverter>();

async function handle(m: Envelope<ConvertRequest>): Promise<ConvertReply> {
  if (m.op === 'close') {
    const converter = converters.get(m.key);
    converters.delete(m.key);
    await converter?.close();
    return { id: m.id, threadId };
  }
  let converter = converters.get(m.key);
  if (!converter) converters.set(m.key, (converter = new JsonLogConverter(m.paths, m.limits)));
  return { id: m.id, converted: await converter.sync(), threadId };
}

parentPort!.on('message', (m: Envelope<ConvertRequest>) => {
  void handle(m).then(
    (reply) => parentPort!.postMessage(reply),
    (e: unknown) => {
      const err = e as NodeJS.ErrnoException;
      parentPort!.postMessage({ id: m.id, error: { message: err?.message ?? String(e), code: err?.code } } satisfies ConvertReply);
    },
  );
});
