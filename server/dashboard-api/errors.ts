import type { ServerResponse } from 'node:http';
import { isWharfError, type WharfError } from '../../runtime/index.ts';
import type { ErrorBody } from '../protocol/index.ts';
import { DockerError, UnreachableError } from '../environments/client.ts';

/** An answer decided by the dashboard API itself: 401, 403, 429… with the contract's error body. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly field?: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** The one place engine and runtime errors become dashboard API statuses. */
const STATUS: Record<WharfError['code'], number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  InvalidArgument: 400,
  FailedPrecondition: 409,
  NotModified: 304,
  Unavailable: 503,
  Unauthenticated: 401,
  NotImplemented: 501,
  Internal: 500,
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (body === undefined) {
    res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const { status, body, headers } = describe(err);
  if (status >= 500) console.error(`wharf: dashboard api: ${err instanceof Error && err.stack ? err.stack : String(err)}`);
  if (!res.headersSent) sendJson(res, status, body, headers);
  else res.destroy();
}

function describe(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof HttpError) return { status: err.status, body: withField(err.message, err.field), headers: err.headers };
  if (isWharfError(err)) return { status: STATUS[err.code], body: { message: err.message } };
  if (err instanceof DockerError) return { status: err.status, body: { message: err.message } };
  if (err instanceof UnreachableError) return { status: 502, body: { message: err.message } };
  return { status: 500, body: { message: err instanceof Error ? err.message : String(err) } };
}

function withField(message: string, field: string | undefined): ErrorBody {
  return field === undefined ? { message } : { message, field };
}
