/**
 * Who may call each Docker API verb through the dashboard, keyed by the route's own method and
 * path pattern (`server/docker-api/*`): the router that picks the verb picks its rule. A route
 * missing here is refused to everyone but administrators.
 *
 * - `read`: every signed-in role (GET and HEAD only).
 * - `read-container`: every role, on a container the caller could have created (copy out, export).
 * - `operate`: operators; verbs whose input can reach the host also hand their parsed options
 *   to the policy before executing (see subjects.ts).
 * - `operate-container`: operators, on a container they could have created (attach, copy in).
 */
export type RouteRule = 'read' | 'read-container' | 'operate' | 'operate-container';

const read = (...paths: string[]): Array<[string, RouteRule]> => paths.map((p) => [`GET ${p}`, 'read']);
const operate = (...routes: string[]): Array<[string, RouteRule]> => routes.map((r) => [r, 'operate']);

export const ROUTE_RULES: ReadonlyMap<string, RouteRule> = new Map<string, RouteRule>([
  ...read('/_ping', '/version', '/info', '/events', '/system/df'),
  ['HEAD /_ping', 'read'],
  ...read('/containers/json', '/containers/:id/json', '/containers/:id/logs', '/containers/:id/top', '/containers/:id/stats', '/containers/:id/changes'),
  ['GET /containers/:id/archive', 'read-container'],
  ['GET /containers/:id/export', 'read-container'],
  ...read('/exec/:id/json'),
  ...read('/images/json', '/images/get', '/images/:name*/get', '/images/:name*/json', '/images/:name*/history'),
  ...read('/volumes', '/volumes/:name', '/networks', '/networks/:id'),
  ...read('/swarm', '/nodes', '/nodes/:id', '/services', '/services/:id', '/services/:id/logs', '/tasks', '/tasks/:id', '/tasks/:id/logs'),
  ...read('/secrets', '/secrets/:id', '/configs', '/configs/:id', '/plugins', '/plugins/:name*/json'),
  ...operate(
    'POST /auth',
    'POST /containers/create', 'POST /containers/prune', 'POST /containers/:id/update',
    'POST /containers/:id/start', 'POST /containers/:id/stop', 'POST /containers/:id/restart', 'POST /containers/:id/kill',
    'POST /containers/:id/pause', 'POST /containers/:id/unpause', 'DELETE /containers/:id', 'DELETE /containers/:parent/:alias',
    'POST /containers/:id/rename', 'POST /containers/:id/wait', 'POST /containers/:id/resize',
    'POST /containers/:id/exec', 'POST /exec/:id/start', 'POST /exec/:id/resize', 'POST /commit',
    'POST /images/create', 'POST /images/load', 'POST /images/prune', 'POST /images/:name*/tag', 'DELETE /images/:name*',
    'POST /images/:name*/push', 'POST /build', 'POST /build/prune',
    'POST /volumes/create', 'POST /volumes/prune', 'DELETE /volumes/:name',
    'POST /networks/create', 'POST /networks/prune', 'DELETE /networks/:id', 'POST /networks/:id/connect', 'POST /networks/:id/disconnect',
  ),
  ['POST /containers/:id/attach', 'operate-container'],
  ['PUT /containers/:id/archive', 'operate-container'],
]);

/**
 * Verbs whose parsed options go through the policy before they execute: on another engine, where
 * Wharf does not execute them itself, they are refused to non-administrators.
 */
export const CHECKED_VERBS: ReadonlySet<string> = new Set([
  'POST /containers/create', 'POST /containers/:id/update', 'POST /containers/:id/exec', 'POST /exec/:id/start', 'POST /commit',
  'POST /volumes/create', 'POST /networks/create', 'POST /networks/:id/connect',
]);

export const routeKey = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;
