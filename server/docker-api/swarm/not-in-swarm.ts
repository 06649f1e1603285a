import { NotImplementedError, UnavailableError } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';

/**
 * Wharf never runs in swarm mode, so every swarm-scoped verb answers exactly as a dockerd that is
 * not part of a swarm does (moby's daemon/cluster errors), which clients such as compose and the
 * CLI recognise. Wharf cannot create or join a swarm: those two verbs say so.
 */
export const NOT_MANAGER = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
export const NOT_IN_SWARM = 'This node is not part of a swarm';

/** A verb that needs a swarm manager: 503 with dockerd's message. */
export function managerRoute(method: Route['method'], path: string): Route {
  return { method, path, handler: () => Promise.reject(new UnavailableError(NOT_MANAGER)) };
}

/** A verb that needs this node to be in a swarm at all (leave): 503 with dockerd's message. */
export function memberRoute(method: Route['method'], path: string): Route {
  return { method, path, handler: () => Promise.reject(new UnavailableError(NOT_IN_SWARM)) };
}

/** A verb that would turn this node into a swarm node, which Wharf cannot do: 501 naming it. */
export function unsupportedRoute(method: Route['method'], path: string, what: string): Route {
  return { method, path, handler: () => Promise.reject(new NotImplementedError(`${what}: swarm mode is not supported by Wharf`)) };
}
