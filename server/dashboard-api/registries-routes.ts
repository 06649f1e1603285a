import { isWharfError, type Credentials, type Engine } from '../../runtime/index.ts';
import { createRegistryRequestSchema, updateRegistryRequestSchema, type RegistryTestResult } from '../protocol/index.ts';
import type { RegistryStore } from '../registries/store.ts';
import { readJson } from './body.ts';
import type { Route } from './router.ts';

/** Checks credentials against the registry; a refusal is an answer, not an error of this API. */
async function test(engine: Engine, creds: Credentials): Promise<RegistryTestResult> {
  try {
    await engine.images.login(creds);
    return { ok: true, message: 'Login Succeeded' };
  } catch (e) {
    if (isWharfError(e)) return { ok: false, message: e.message };
    throw e;
  }
}

/**
 * Registries the dashboard keeps credentials for (Docker Hub or any v2 registry). Everyone
 * signed in sees which exist; adding, editing, removing and testing new credentials is for
 * admins. Passwords go in and never come out.
 */
export function registryRoutes(store: RegistryStore, engine: Engine): Route[] {
  return [
    { method: 'GET', path: '/api/registries', access: 'user', handler: async () => ({ status: 200, body: store.list() }) },
    { method: 'GET', path: '/api/registries/:id', access: 'user', handler: async ({ params }) => ({ status: 200, body: store.get(params.id!) }) },
    {
      method: 'POST', path: '/api/registries', access: 'admin',
      handler: async ({ req }) => ({ status: 201, body: store.add(await readJson(req, createRegistryRequestSchema)) }),
    },
    {
      method: 'POST', path: '/api/registries/test', access: 'admin',
      handler: async ({ req }) => {
        const r = await readJson(req, createRegistryRequestSchema);
        return { status: 200, body: await test(engine, { username: r.username, password: r.password, serveraddress: r.address }) };
      },
    },
    {
      method: 'POST', path: '/api/registries/:id/test', access: 'admin',
      handler: async ({ params }) => ({ status: 200, body: await test(engine, store.credentials(params.id!)) }),
    },
    {
      method: 'PUT', path: '/api/registries/:id', access: 'admin',
      handler: async ({ req, params }) => ({ status: 200, body: store.update(params.id!, await readJson(req, updateRegistryRequestSchema)) }),
    },
    {
      method: 'DELETE', path: '/api/registries/:id', access: 'admin',
      handler: async ({ params }) => {
        store.remove(params.id!);
        return { status: 204 };
      },
    },
  ];
}
