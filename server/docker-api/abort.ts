import type { ServerResponse } from 'node:http';

/**
 * An AbortSignal that fires when the client goes away before the response is complete:
 * a pull or push whose client disconnected stops instead of running for nobody.
 */
export function clientGone(res: ServerResponse): AbortSignal {
  const ac = new AbortController();
  res.on('close', () => { if (!res.writableFinished) ac.abort(); });
  return ac.signal;
}
