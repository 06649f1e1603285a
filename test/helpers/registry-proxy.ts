/**
 * A reverse proxy in front of a test registry that records every request and can slow blob
 * downloads or refuse large bodies, as a slow link or a front-end with a body-size limit would.
 * The registry itself is real; the proxy only passes bytes on.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProxiedRequest { method: string; path: string }

export interface RegistryProxy {
  /** `127.0.0.1:<port>`: use it in image references to go through the proxy. */
  host: string;
  requests: ProxiedRequest[];
  /** Blob downloads whose bodies are still being sent. */
  openDownloads(): number;
  /** Bytes per 50 ms tick for blob GETs; 0 passes them at full speed. */
  throttle: number;
  /** Requests with a body larger than this are drained and answered 413; 0 is no limit. */
  maxBody: number;
  close(): Promise<void>;
}

export async function startRegistryProxy(target: string): Promise<RegistryProxy> {
  let open = 0;
  const proxy: RegistryProxy = { host: '', requests: [], openDownloads: () => open, throttle: 0, maxBody: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    proxy.requests.push({ method: req.method ?? '', path: req.url ?? '' });
    const length = Number(req.headers['content-length'] ?? 0);
    if (proxy.maxBody && length > proxy.maxBody) {
      req.resume();
      req.on('end', () => { res.writeHead(413, { 'content-type': 'text/plain' }); res.end('request entity too large'); });
      return;
    }
    const upstream = http.request({ host: '127.0.0.1', port: Number(target.split(':')[1]), method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      const slow = req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '') && proxy.throttle > 0;
      if (!slow) { up.pipe(res); return; }
      open += 1;
      let done = false;
      const finish = () => { if (!done) { done = true; open -= 1; } };
      const tick = proxy.throttle;
      const limiter = new Transform({
        async transform(chunk: Buffer, _enc, cb) {
          for (let i = 0; i < chunk.length; i += tick) {
            if (res.destroyed) return cb(new Error('client gone'));
            this.push(chunk.subarray(i, i + tick));
            await sleep(50);
          }
          cb();
        },
      });
      res.on('close', () => { finish(); up.destroy(); limiter.destroy(); });
      up.pipe(limiter).pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return proxy;
}
