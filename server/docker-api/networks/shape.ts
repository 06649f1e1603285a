import type { Engine, NetworkRecord } from '../../../runtime/index.ts';
import { NetworkForbiddenError, PermissionDeniedError } from '../../../runtime/index.ts';
import type * as Docker from '../../protocol/docker-api.ts';

/** A network as inspect shows it: with its attached (running) containers. */
export function networkBody(engine: Engine, n: NetworkRecord, withContainers: boolean): Docker.GoJson<Docker.Network> {
  return { ...n, Containers: withContainers ? engine.networks.endpoints(n) : {} };
}

/** Docker answers these network errors with 403 Forbidden. */
export async function forbidden<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof NetworkForbiddenError) throw new PermissionDeniedError(e.message, { cause: e });
    throw e;
  }
}
