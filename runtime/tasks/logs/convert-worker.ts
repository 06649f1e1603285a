/**
 * The json-file conversions of every container, in one worker thread: each line of a chatty
 * container is parsed and re-encoded here, off the event loop that serves the users. A
 * container's converter lives here from its first conversion until it is closed.
 */
import { parentPort, threadId } from 'node:worker_threads';
import type { Envelope } from '../../util/workers/rpc.ts';
import type { ConvertItem, ConvertReply, ConvertRequest, ConvertResult } from './convert-protocol.ts';
import { JsonLogConverter } from './json-converter.ts';

const converters = new Map<string, JsonLogConverter>();

async function convert(item: ConvertItem): Promise<ConvertResult> {
  try {
    let converter = converters.get(item.key);
    if (!converter) converters.set(item.key, (converter = new JsonLogConverter(item.paths, item.limits)));
    return { converted: await converter.sync() };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { error: { message: err?.message ?? String(e), code: err?.code } };
  }
}

async function handle(m: Envelope<ConvertRequest>): Promise<ConvertReply> {
  if (m.op === 'close') {
    const converter = converters.get(m.key);
    converters.delete(m.key);
    await converter?.close();
    return { id: m.id, threadId };
  }
  return { id: m.id, results: await Promise.all(m.items.map(convert)), threadId };
}

parentPort!.on('message', (m: Envelope<ConvertRequest>) => {
  // Conversions answer their own errors; a close that failed still answers (it is best effort).
  void handle(m).catch((): ConvertReply => ({ id: m.id, threadId })).then((reply) => parentPort!.postMessage(reply));
});
