import { UnavailableError } from '../errors.ts';

/** The error a pull or push ends with when its client went away. */
export class CancelledError extends UnavailableError {
  constructor() { super('operation cancelled: the client disconnected'); }
}

export function abortError(_signal?: AbortSignal): Error {
  return new CancelledError();
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
