/**
 * Error classes with stable codes. The runtime throws these with context; the edges
 * (docker-api, dashboard-api) map codes to HTTP statuses in one place each.
 */
export type ErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'InvalidArgument'
  | 'Conflict'
  | 'FailedPrecondition'
  | 'NotModified'
  | 'Unavailable'
  | 'Unauthenticated'
  | 'NotImplemented'
  | 'Internal';

export class WharfError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = `${code}Error`;
  }
}

export class NotFoundError extends WharfError {
  constructor(message: string, options?: { cause?: unknown }) { super('NotFound', message, options); }
}
export class AlreadyExistsError extends WharfError {
  constructor(message: string, options?: { cause?: unknown }) { super('AlreadyExists', message, options); }
}
export class InvalidArgumentError extends WharfError {
  constructor(message: string, options?: { cause?: unknown }) { super('InvalidArgument', message, options); }
}
export class ConflictError extends WharfError {
  constructor(message: string, options?: { cause?: unknown }) { super('Conflict', message, options); }
}
export class FailedPreconditionError extends WharfError {
  constructor(message: string, options?: { cause?: unknown }) { super('FailedPrecondition', message, options); }
}
/** The request asked for a state the object is already in (Docker answers 304). */
export class NotModifiedError extends WharfError {
  constructor(message: string, options?: { cause?: unknown }) { super('NotModified', message, options); }
}
export class UnavailableError extends WharfError {
  constructor(message: string, options?: { cause?: unknown }) { super('Unavailable', message, options); }
}
/** Credentials were missing or refused (a registry login, a pull that needs them). */
export class UnauthenticatedError extends WharfError {
  constructor(message: string, options?: { cause?: unknown }) { super('Unauthenticated', message, options); }
}
export class NotImplementedError extends WharfError {
  constructor(message: string, options?: { cause?: unknown }) { super('NotImplemented', message, options); }
}
export class InternalError extends WharfError {
  constructor(message: string, options?: { cause?: unknown }) { super('Internal', message, options); }
}

export function isWharfError(e: unknown): e is WharfError {
  return e instanceof WharfError;
}
