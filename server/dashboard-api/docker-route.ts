import { authorizeDocker } from '../auth/roles.ts';
import type { EnvironmentRegistry } from '../environments/registry.ts';
import { proxyDocker } from '../environments/proxy.ts';
import { parseJson, readBody } from './body.ts';
import { NotFoundError, PermissionDeniedError } from '../../runtime/index.ts';
import type { Route } from './router.ts';
import { registryAuthFor, registryConfigFor } from './registry-auth.ts';
import type { RegistryStore } from '../registries/store.ts';

/** Container create/update bodies are small; anything bigger than this is not one. */
const CHECKED_BODY_LIMIT = 4 * 1024 * 1024;

/**
 * `/api/environments/:id/docker/<Docker API path>`: the environment's Docker Engine API,
 * behind the session's role. Bodies the role must be checked against are read, checked and
 * sent on re-serialised, so the engine sees exactly what was checked; every other request
 * and every answer stream through.
 */
export function dockerRoutes(environments: EnvironmentRegistry, registries: RegistryStore): Route[] {
  return [{
    method: '*', path: '/api/environments/:id/docker/*', access: 'user',
    handler: async ({ req, res, url, params, session }) => {
      const client = environments.client(params.id!);
      if (!client) throw new NotFoundError(`no such environment: ${params.id}`);
      const method = req.method ?? 'GET';
      // The path as the client wrote it, before URL parsing resolved any dot segments.
      const rawPath = rawDockerPath(req.url ?? '', params.id!) ?? params.rest!;
      const decision = authorizeDocker(session!.user.role, method, rawPath, url.searchParams);
      if (!decision.allow) throw new PermissionDeniedError(decision.denial.message, { field: decision.denial.field });
      let body: Buffer | undefined;
      if (decision.inspect) {
        const parsed = parseJson(await readBody(req, CHECKED_BODY_LIMIT));
        const refusal = decision.inspect(parsed);
        if (refusal) throw new PermissionDeniedError(refusal.message, { field: refusal.field });
        body = parsed === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(parsed));
      }
      const auth = registryAuthFor(registries, method, rawPath, url.searchParams, req.headers['x-registry-auth']);
      if (auth) req.headers['x-registry-auth'] = auth;
      const config = registryConfigFor(registries, method, rawPath, req.headers['x-registry-config']);
      if (config) req.headers['x-registry-config'] = config;
      await proxyDocker(client, req, res, `${rawPath}${url.search}`, body);
    },
  }];
}

function rawDockerPath(requestUrl: string, id: string): string | undefined {
  const pathname = requestUrl.split('?')[0]!;
  const prefix = `/api/environments/${encodeURIComponent(id)}/docker`;
  if (!pathname.startsWith(prefix)) return undefined;
  return pathname.slice(prefix.length) || '/';
}
