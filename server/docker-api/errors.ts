import { isWharfError, type WharfError } from '../../runtime/index.ts';

/** The one place runtime error codes become Docker API statuses. */
const STATUS: Record<WharfError['code'], number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  InvalidArgument: 400,
  FailedPrecondition: 409,
  NotModified: 304,
  Unavailable: 500,
  Unauthenticated: 401,
  NotImplemented: 501,
  Internal: 500,
};

/** An error raised by the API layer itself (bad query parameter, bad body). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, message);
}

export function errorStatus(err: unknown): { status: number; message: string } {
  if (err instanceof ApiError) return { status: err.status, message: err.message };
  if (isWharfError(err)) return { status: STATUS[err.code], message: err.message };
  return { status: 500, message: err instanceof Error ? err.message : String(err) };
}
