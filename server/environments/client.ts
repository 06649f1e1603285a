import http, { type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { BadGatewayError, RelayedError } from '../http/errors.ts';
import type { DockerTarget } from './endpoint.ts';

/** A non-2xx answer of an engine, with the engine's own status and message. */
export class DockerError extends RelayedError {
  override name = 'DockerError';
}

/** An engine that could not be reached at all. */
export class UnreachableError extends BadGatewayError {
  override name = 'UnreachableError';
}

export interface RequestOptions { method: string; path: string; headers?: OutgoingHttpHeaders; signal?: AbortSignal }

/** HTTP to one Docker Engine API, whatever carries it; streams are never buffered. */
export class DockerClient {
  private readonly agent: http.Agent;

  constructor(private readonly target: DockerTarget) {
    const https_ = target.kind === 'tcp' && target.protocol === 'https:';
    this.agent = https_ ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  }

  /** A raw request; the caller writes the body and handles the response. */
  request(opts: RequestOptions): ClientRequest {
    const headers = { ...opts.headers };
    if (this.target.kind === 'unix') {
      // Engines on a unix socket see `Host: docker`, as from the docker CLI.
      headers.host = 'docker';
      return http.request({ socketPath: this.target.socketPath, agent: this.agent, method: opts.method, path: opts.path, headers, signal: opts.signal });
    }
    const mod = this.target.protocol === 'https:' ? https : http;
    return mod.request({ hostname: this.target.hostname, port: this.target.port, agent: this.agent, method: opts.method, path: opts.path, headers, signal: opts.signal });
  }

  /** A request whose 2xx response body is read as it comes; other statuses reject with DockerError. */
  stream(opts: RequestOptions & { body?: unknown }): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const text = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      const headers = text === undefined ? opts.headers : { ...opts.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
      const req = this.request({ ...opts, headers });
      req.once('error', (err) => reject(unreachable(err)));
      req.once('response', (res) => {
        if ((res.statusCode ?? 500) < 300) return resolve(res);
        readError(res).then(reject, reject);
      });
      req.end(text);
    });
  }

  /** A JSON request and its JSON answer (undefined for an empty body). */
  async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const res = await this.stream({ method, path, body, signal });
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return (text.trim() === '' ? undefined : JSON.parse(text)) as T;
  }

  /**
   * A hijacked connection (`Upgrade: tcp`), as `docker exec -it` opens one: after the 101
   * answer, the socket carries the raw stream both ways.
   */
  hijack(path: string, body: unknown): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const text = JSON.stringify(body);
      const req = this.request({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), connection: 'Upgrade', upgrade: 'tcp' },
      });
      req.once('error', (err) => reject(unreachable(err)));
      req.once('upgrade', (_res, socket, head) => {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
      });
      req.once('response', (res) => {
        if ((res.statusCode ?? 500) >= 300) return void readError(res).then(reject, reject);
        res.destroy();
        reject(new BadGatewayError(`the engine answered ${res.statusCode} instead of upgrading the connection`));
      });
      req.end(text);
    });
  }

  /** `/_ping` within `timeoutMs`. */
  ping(timeoutMs = 2000): Promise<boolean> {
    return new Promise((resolve) => {
      const req = this.request({ method: 'GET', path: '/_ping', signal: AbortSignal.timeout(timeoutMs) });
      req.once('error', () => resolve(false));
      req.once('response', (res) => { res.resume(); resolve(res.statusCode === 200); });
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function unreachable(err: Error): Error {
  if (err.name === 'AbortError') return err;
  return new UnreachableError(`cannot reach the engine: ${err.message}`, { cause: err });
}

async function readError(res: IncomingMessage): Promise<DockerError> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let message = text.trim() || `the engine answered ${res.statusCode}`;
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch { /* not JSON: keep the text */ }
  return new DockerError(res.statusCode ?? 500, message);
}
