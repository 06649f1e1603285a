/**
 * Error classes with stable codes (gRPC's and Docker's errdefs names). The runtime and the
 * server's services throw these with context; `server/http/errors.ts` maps each code to one
 * HTTP status for both HTTP surfaces.
 */
export type ErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'InvalidArgument'
  | 'Conflict'
  | 'FailedPrecondition'
  | 'NotModified'
  | 'Unavailable'
  | 'NotImplemented'
  | 'Unauthenticated'
  | 'PermissionDenied'
  | 'ResourceExhausted'
  | 'Internal';

export interface WharfErrorOptions {
  cause?: unknown;
  /** The request field at fault, as a dotted path (`HostConfig.Binds[0]`), for the error body. */
  field?: string;
}

export class WharfError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  constructor(code: ErrorCode, message: string, options?: WharfErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options?.field;
    this.name = `${code}Error`;
  }
}

export class NotFoundError extends WharfError {
  constructor(message: string, options?: WharfErrorOptions) { super('NotFound', message, options); }
}
export class AlreadyExistsError extends WharfError {
  constructor(message: string, options?: WharfErrorOptions) { super('AlreadyExists', message, options); }
}
export class InvalidArgumentError extends WharfError {
  constructor(message: string, options?: WharfErrorOptions) { super('InvalidArgument', message, options); }
}
export class ConflictError extends WharfError {
  constructor(message: string, options?: WharfErrorOptions) { super('Conflict', message, options); }
}
export class FailedPreconditionError extends WharfError {
  constructor(message: string, options?: WharfErrorOptions) { super('FailedPrecondition', message, options); }
}
/** The request asked for a state the object is already in (Docker answers 304). */
export class NotModifiedError extends WharfError {
  constructor(message: string, options?: WharfErrorOptions) { super('NotModified', message, options); }
}
export class UnavailableError extends WharfError {
  constructor(message: string, options?: WharfErrorOptions) { super('Unavailable', message, options); }
}
export class NotImplementedError extends WharfError {
  constructor(message: string, options?: WharfErrorOptions) { super('NotImplemented', message, options); }
}
/** The caller is not signed in, or its credentials were refused (a sign-in, a registry login) (HTTP 401). */
export class UnauthenticatedError extends WharfError {
  constructor(message: string, options?: WharfErrorOptions) { super('Unauthenticated', message, options); }
}
/** The caller is known but may not do this (HTTP 403). */
export class PermissionDeniedError extends WharfError {
  constructor(message: string, options?: WharfErrorOptions) { super('PermissionDenied', message, options); }
}
/** A quota or rate limit is spent; `retryAfterS` says when to try again (HTTP 429). */
export class ResourceExhaustedError extends WharfError {
  constructor(message: string, readonly retryAfterS?: number, options?: WharfErrorOptions) { super('ResourceExhausted', message, options); }
}
export class InternalError extends WharfError {
  constructor(message: string, options?: WharfErrorOptions) { super('Internal', message, options); }
}

export function isWharfError(e: unknown): e is WharfError {
  return e instanceof WharfError;
}
