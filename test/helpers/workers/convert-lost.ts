/** A log conversion worker that converts what it is asked to and then dies without answering. */
import { parentPort } from 'node:worker_threads';
import type { ConvertRequest } from '../../../runtime/tasks/logs/convert-protocol.ts';
import { JsonLogConverter } from '../../../runtime/tasks/logs/json-converter.ts';

parentPort!.on('message', (m: ConvertRequest) => {
  if (m.op !== 'convert') return;
  void Promise.all(m.items.map((item) => new JsonLogConverter(item.paths, item.limits).sync())).then(() => process.exit(1));
});
