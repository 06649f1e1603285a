import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { BadGatewayError } from '../http/errors.ts';

/** Headers of one connection, not of the message (RFC 9110 §7.6.1): never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization']);

function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set(String(headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim()).filter(Boolean));
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && !named.has(k)) out[k] = v;
  return out;
}

/**
 * Relays one request to a server on a unix socket and its answer back, streamed both ways.
 * Headers already set on `res` (the security headers) stay unless the answer sets the same.
 * Rejects only while nothing has been answered; a failure after that cuts the response.
 */
export function proxyRequest(agent: http.Agent, socketPath: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = http.request({ agent, socketPath, method: req.method, path: req.url, headers: forwardable(req.headers) }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardable(answer.headers));
      pipeline(answer, res).then(resolve, () => resolve());
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) return reject(new BadGatewayError(`the dashboard's pages did not answer: ${err.message}`, { cause: err }));
      res.destroy(err);
      resolve();
    });
    // A client that leaves early takes its request to the page thread with it.
    res.on('close', () => { if (!res.writableFinished) upstream.destroy(); });
    pipeline(req, upstream).catch(() => undefined);
  });
}
