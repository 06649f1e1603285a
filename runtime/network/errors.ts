import { FailedPreconditionError } from '../errors.ts';

/**
 * An operation Docker answers with 403 Forbidden: touching a pre-defined network, creating a
 * second host/null network, removing a network with active endpoints, an overlapping pool.
 */
export class NetworkForbiddenError extends FailedPreconditionError {
  readonly forbidden = true;
}
