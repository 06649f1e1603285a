/** Action names of the dashboard's own mutating routes, by `METHOD pattern`. */
const NAMES: Readonly<Record<string, string>> = {
  'POST /api/auth/setup': 'auth.setup',
  'POST /api/auth/login': 'auth.login',
  'POST /api/auth/logout': 'auth.logout',
  'POST /api/users': 'user.create',
  'PATCH /api/users/:username': 'user.update',
  'DELETE /api/users/:username': 'user.remove',
  'POST /api/environments': 'environment.create',
  'DELETE /api/environments/:id': 'environment.remove',
  'PUT /api/environments/:id/security': 'environment.security',
  'POST /api/registries': 'registry.create',
  'POST /api/registries/test': 'registry.test',
  'POST /api/registries/:id/test': 'registry.test',
  'PUT /api/registries/:id': 'registry.update',
  'DELETE /api/registries/:id': 'registry.remove',
};

/**
 * The action of a dashboard route; a route without a name of its own (added later, e.g.
 * settings) is named after its first path segment and method, so nothing goes unrecorded.
 */
export function dashboardAction(method: string, pattern: string): string {
  const named = NAMES[`${method} ${pattern}`];
  if (named) return named;
  const resource = pattern.split('/')[2] ?? 'dashboard';
  return `${resource}.${method.toLowerCase()}`;
}

/** The object a dashboard action is about: a path parameter, or the name in a creation's answer. */
export function dashboardTarget(params: Record<string, string>, answer: unknown): string | null {
  const fromPath = params.username ?? params.name ?? params.id;
  if (fromPath !== undefined) return fromPath;
  if (typeof answer !== 'object' || answer === null) return null;
  const a = answer as Record<string, unknown>;
  for (const key of ['name', 'username', 'id'] as const) if (typeof a[key] === 'string') return a[key];
  return null;
}
