/**
 * The dashboard's page thread: Next's production server, answering on a unix socket that only
 * the server's own thread proxies to (thread.ts). Loading Next's server code is synchronous
 * work of most of a second, and rendering a page is CPU work too; here neither delays the
 * engine, the Docker API or the dashboard API on the main thread.
 */
import http from 'node:http';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { PageThreadData, PageThreadMessage } from './thread-protocol.ts';

const data = workerData as PageThreadData;
const post = (m: PageThreadMessage): void => parentPort!.postMessage(m);

try {
  // The build's own resolved configuration, as Next's standalone server uses it. Without it,
  // `next()` loads next.config and validates it with the build's machinery, SWC's native
  // binding included: about 80 MB resident of the page thread's 170, all for settings the
  // build has already resolved. Next reads it from process.env: this thread's own copy.
  const required = JSON.parse(await readFile(join(data.dir, '.next', 'required-server-files.json'), 'utf8')) as { config: object };
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(required.config);
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: data.dir, hostname: data.hostname, port: data.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('wharf: rendering a page failed:', err);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end();
    });
  });
  await mkdir(dirname(data.socketPath), { recursive: true, mode: 0o700 });
  await chmod(dirname(data.socketPath), 0o700);
  // A socket left by a server that was killed would make listen fail.
  await rm(data.socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(data.socketPath, () => resolve());
  });
  post({ ready: true });
} catch (err) {
  post({ ready: false, error: err instanceof Error ? err.stack ?? err.message : String(err) });
}
