import { createEnvironmentRequestSchema } from '../protocol/index.ts';
import type { EnvironmentRegistry } from '../environments/registry.ts';
import type { SecuritySettingsStore } from '../policy/index.ts';
import { readJson } from './body.ts';
import type { Route } from './router.ts';

/** The engines the dashboard manages; adding and removing them is for admins. */
export function environmentRoutes(environments: EnvironmentRegistry, security: SecuritySettingsStore): Route[] {
  return [
    {
      method: 'GET', path: '/api/environments', access: 'user',
      handler: async () => ({ status: 200, body: await environments.list() }),
    },
    {
      method: 'GET', path: '/api/environments/:id', access: 'user',
      handler: async ({ params }) => ({ status: 200, body: await environments.get(params.id!) }),
    },
    {
      method: 'POST', path: '/api/environments', access: 'admin',
      handler: async ({ req }) => {
        const { name, url } = await readJson(req, createEnvironmentRequestSchema);
        return { status: 201, body: await environments.add(name, url) };
      },
    },
    {
      method: 'DELETE', path: '/api/environments/:id', access: 'admin',
      handler: async ({ params }) => {
        environments.remove(params.id!);
        // A later environment never inherits what was relaxed for this one.
        security.remove(params.id!);
        return { status: 204 };
      },
    },
  ];
}
