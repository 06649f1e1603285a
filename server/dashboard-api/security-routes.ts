import { NotFoundError } from '../../runtime/index.ts';
import type { EnvironmentRegistry } from '../environments/registry.ts';
import { securitySettingsSchema, type SecuritySettingsStore } from '../policy/index.ts';
import { readJson } from './body.ts';
import type { Route } from './router.ts';

/**
 * An environment's security settings: what non-administrators may do there beyond an
 * unprivileged container. Every signed-in user may see them; only administrators change them
 * (and the audit log records who did, when).
 */
export function securityRoutes(store: SecuritySettingsStore, environments: EnvironmentRegistry): Route[] {
  const known = (id: string): void => { if (!environments.record(id)) throw new NotFoundError(`no such environment: ${id}`); };
  return [
    {
      method: 'GET', path: '/api/environments/:id/security', access: 'user',
      handler: async ({ params }) => { known(params.id!); return { status: 200, body: store.get(params.id!) }; },
    },
    {
      method: 'PUT', path: '/api/environments/:id/security', access: 'admin',
      handler: async ({ req, params }) => {
        known(params.id!);
        return { status: 200, body: store.set(params.id!, await readJson(req, securitySettingsSchema)) };
      },
    },
  ];
}
