import type { Engine, NetworkRecord } from '../../../runtime/index.ts';
import { ApiError } from '../errors.ts';
import { NetworkForbiddenError } from '../../../runtime/index.ts';

/** A network as inspect shows it: with its attached (running) containers. */
export function networkBody(engine: Engine, n: NetworkRecord, withContainers: boolean): Record<string, unknown> {
  return { ...n, Containers: withContainers ? engine.networks.endpoints(n) : {} };
}

/** Docker answers these network errors with 403 Forbidden. */
export async function forbidden<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof NetworkForbiddenError) throw new ApiError(403, e.message);
    throw e;
  }
}
