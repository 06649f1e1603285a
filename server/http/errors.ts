import { isWharfError, ResourceExhaustedError, type ErrorCode } from '../../runtime/index.ts';
import type { ErrorBody } from '../protocol/index.ts';

/** Failures of the HTTP layer itself, which no service raises. */
export type HttpCode = 'MethodNotAllowed' | 'PayloadTooLarge' | 'BadGateway';

export class HttpLayerError extends Error {
  constructor(readonly code: HttpCode, message: string, readonly headers: Record<string, string> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = `${code}Error`;
  }
}

/** The path exists but not for this method (the dashboard API; the Docker API answers 404 as dockerd does). */
export class MethodNotAllowedError extends HttpLayerError {
  constructor(message: string, allow: readonly string[]) { super('MethodNotAllowed', message, { Allow: allow.join(', ') }); }
}
export class PayloadTooLargeError extends HttpLayerError {
  constructor(message: string) { super('PayloadTooLarge', message); }
}
/** An engine behind the dashboard could not be reached at all. */
export class BadGatewayError extends HttpLayerError {
  constructor(message: string, options?: { cause?: unknown }) { super('BadGateway', message, {}, options); }
}

/** A non-2xx answer of a remote engine, relayed with the engine's own status and message. */
export class RelayedError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'RelayedError';
  }
}

/**
 * The one place an error code becomes an HTTP status, for the Docker API and the dashboard
 * API alike. The runtime's codes follow dockerd's errdefs mapping (`NotFound` 404,
 * `InvalidParameter` 400, `Conflict` 409, `Unauthorized` 401, `Unavailable` 503, `Forbidden`
 * 403, `NotModified` 304, `NotImplemented` 501, system errors 500) and gRPC's for the codes
 * errdefs lacks (`AlreadyExists` 409, `ResourceExhausted` 429). `FailedPrecondition` is a
 * state conflict (removing a running container, pausing a stopped one): 409 as dockerd answers.
 */
export const STATUS: Readonly<Record<ErrorCode | HttpCode, number>> = {
  InvalidArgument: 400,
  Unauthenticated: 401,
  PermissionDenied: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  AlreadyExists: 409,
  Conflict: 409,
  FailedPrecondition: 409,
  PayloadTooLarge: 413,
  ResourceExhausted: 429,
  NotModified: 304,
  Internal: 500,
  NotImplemented: 501,
  BadGateway: 502,
  Unavailable: 503,
};

export interface ErrorAnswer { status: number; body: ErrorBody; headers: Record<string, string> }

/** Status, body and headers of the answer to an error; anything unknown is a 500. */
export function errorAnswer(err: unknown): ErrorAnswer {
  if (isWharfError(err)) {
    const headers: Record<string, string> = {};
    if (err instanceof ResourceExhaustedError && err.retryAfterS !== undefined) headers['Retry-After'] = String(err.retryAfterS);
    return { status: STATUS[err.code], body: withField(err.message, err.field), headers };
  }
  if (err instanceof HttpLayerError) return { status: STATUS[err.code], body: { message: err.message }, headers: err.headers };
  if (err instanceof RelayedError) return { status: err.status, body: { message: err.message }, headers: {} };
  return { status: 500, body: { message: err instanceof Error ? err.message : String(err) }, headers: {} };
}

function withField(message: string, field: string | undefined): ErrorBody {
  return field === undefined ? { message } : { message, field };
}
