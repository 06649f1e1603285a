import type { IncomingMessage, ServerResponse } from 'node:http';
import { PermissionDeniedError } from '../../runtime/index.ts';
import type { DockerClient } from '../environments/client.ts';
import { proxyDocker } from '../environments/proxy.ts';
import type { Router } from '../http/router.ts';
import { routedPath } from '../docker-api/dispatch.ts';
import type { Route } from '../docker-api/router.ts';
import { CHECKED_VERBS, clientLookup, routeKey, type PolicyService, type Principal } from '../policy/index.ts';

/**
 * Verbs another engine executes with options Wharf's own verbs do not have (dockerd's build
 * reads `networkmode` and `extrahosts`, its import fetches URLs, its load takes any image): only
 * administrators, besides the verbs whose parsed options the policy checks (which only the
 * embedded engine parses).
 */
const ADMIN_ON_REMOTE = new Set([...CHECKED_VERBS, 'POST /build', 'POST /images/load']);
/** The verbs whose body goes on to another engine for a non-administrator; every other body is dropped. */
const BODY_ROUTES = new Set(['PUT /containers/:id/archive', 'POST /auth', 'POST /networks/:id/disconnect']);

/** A route's path with its parameters filled in, each segment percent-encoded: one spelling only. */
function canonicalPath(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:(\w+)(\*)?/g, (_m, name: string, star?: string) => {
    const value = params[name] ?? '';
    return star ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
  });
}

/**
 * A request for another Docker engine. Administrators' requests go through as written; anyone
 * else's is matched by the embedded engine's router, held to the same route rules (looking the
 * containers it names up on that engine), and sent on rebuilt from what was matched: the
 * route's canonical path, the re-serialised query, and a body only where one is harmless.
 */
export async function forwardToRemote(
  client: DockerClient, router: Router<Route>, policy: PolicyService, principal: Principal,
  req: IncomingMessage, res: ServerResponse, target: string,
): Promise<void> {
  if (principal.role === 'admin') return proxyDocker(client, req, res, target);
  const method = req.method ?? 'GET';
  const { url, path, version } = routedPath(target);
  const hit = router.match(method, path);
  if (!('route' in hit)) throw new PermissionDeniedError(`only administrators can use ${method} ${path} on this environment`);
  const key = routeKey(hit.route);
  await policy.authorizeRoute(principal, hit.route, hit.params, clientLookup(client));
  if (ADMIN_ON_REMOTE.has(key)) throw new PermissionDeniedError(`only administrators can use ${key} on an environment other than the embedded engine`);
  if (key === 'POST /images/create' && url.searchParams.has('fromSrc')) throw new PermissionDeniedError('only administrators can import images on an environment other than the embedded engine (fromSrc)', { field: 'fromSrc' });
  const query = url.searchParams.toString();
  const rebuilt = `/v${version}${canonicalPath(hit.route.path, hit.params)}${query ? `?${query}` : ''}`;
  await proxyDocker(client, req, res, rebuilt, BODY_ROUTES.has(key) ? undefined : Buffer.alloc(0));
}
