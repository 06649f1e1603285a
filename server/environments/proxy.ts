import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { UnreachableError, type DockerClient } from './client.ts';

/** RFC 9110 §7.6.1 hop-by-hop headers, plus what the dashboard must not pass on to an engine. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
const NOT_TO_ENGINE = ['host', 'cookie', 'origin', 'referer'];
const NOT_TO_BROWSER = ['set-cookie'];

function filterHeaders(headers: IncomingHttpHeaders, drop: readonly string[]): OutgoingHttpHeaders {
  const named = String(headers.connection ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.includes(name) || named.includes(name) || drop.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * Passes one request to an engine and its answer back, both as streams: progress of a pull,
 * `logs?follow=1` and `/events` reach the browser as the engine writes them. `body` replaces
 * the request's own body when the caller had to read it (to check it) first.
 */
export function proxyDocker(client: DockerClient, req: IncomingMessage, res: ServerResponse, pathAndQuery: string, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers = filterHeaders(req.headers, NOT_TO_ENGINE);
    if (body) {
      headers['content-length'] = body.length;
      delete headers['transfer-encoding'];
    }
    const upstream = client.request({ method: req.method ?? 'GET', path: pathAndQuery, headers });
    let answered = false;
    const finish = () => { if (!answered) { answered = true; resolve(); } };

    // The browser went away: stop the engine's side too (a followed log would run forever).
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
      finish();
    });
    // `on`, not `once`: a destroyed request can report more than one error.
    upstream.on('error', (err) => {
      if (answered) return;
      answered = true;
      // Before the engine answered, the caller answers 502; after, the answer can only be cut.
      if (!res.headersSent) return reject(new UnreachableError(`cannot reach the engine: ${err.message}`, { cause: err }));
      res.destroy();
      resolve();
    });
    upstream.once('response', (engineRes) => {
      res.writeHead(engineRes.statusCode ?? 502, engineRes.statusMessage, filterHeaders(engineRes.headers, NOT_TO_BROWSER));
      res.flushHeaders();
      engineRes.pipe(res);
      engineRes.once('error', () => res.destroy());
      engineRes.once('end', finish);
    });

    if (body) upstream.end(body);
    else req.pipe(upstream);
  });
}
