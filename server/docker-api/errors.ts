import { InvalidArgumentError } from '../../runtime/index.ts';

/**
 * A bad query parameter or body of a Docker API request: an `InvalidArgument` error, which
 * `server/http/errors.ts` answers with 400 like every other.
 */
export function badRequest(message: string): InvalidArgumentError {
  return new InvalidArgumentError(message);
}
