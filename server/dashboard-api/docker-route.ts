import type { EnvironmentRegistry } from '../environments/registry.ts';
import { NotFoundError } from '../../runtime/index.ts';
import type { Dispatch } from '../docker-api/dispatch.ts';
import type { Route as DockerRoute } from '../docker-api/router.ts';
import type { Router } from '../http/router.ts';
import type { PolicyService } from '../policy/index.ts';
import { LOCAL_ENVIRONMENT_ID } from '../protocol/index.ts';
import type { Route } from './router.ts';
import { registryAuthFor, registryConfigFor } from './registry-auth.ts';
import type { RegistryStore } from '../registries/store.ts';
import { forwardToRemote } from './remote-docker.ts';

export interface DockerRouteDeps {
  environments: EnvironmentRegistry;
  registries: RegistryStore;
  policy: PolicyService;
  /** The embedded engine's Docker API, called in-process. */
  dispatch: Dispatch;
  /** The same router the embedded engine's Docker API routes with. */
  router: Router<DockerRoute>;
}

/**
 * `/api/environments/:id/docker/<Docker API path>`: the environment's Docker Engine API, for
 * the session's user. The embedded engine gets the request in-process with the user as its
 * principal, so the policy is applied by the verb the engine's router picked, on the options it
 * parsed; other engines get a request rebuilt from what was checked (remote-docker.ts).
 */
export function dockerRoutes({ environments, registries, policy, dispatch, router }: DockerRouteDeps): Route[] {
  return [{
    method: '*', path: '/api/environments/:id/docker/*', access: 'user',
    handler: async ({ req, res, url, params, session }) => {
      const client = environments.client(params.id!);
      if (!client) throw new NotFoundError(`no such environment: ${params.id}`);
      const method = req.method ?? 'GET';
      // The path as the client wrote it, before URL parsing resolved any dot segments.
      const rawPath = rawDockerPath(req.url ?? '', params.id!) ?? params.rest!;
      const auth = registryAuthFor(registries, method, rawPath, url.searchParams, req.headers['x-registry-auth']);
      if (auth) req.headers['x-registry-auth'] = auth;
      const config = registryConfigFor(registries, method, rawPath, req.headers['x-registry-config']);
      if (config) req.headers['x-registry-config'] = config;
      const principal = policy.principal(session!.user, params.id!);
      const target = `${rawPath}${url.search}`;
      if (params.id === LOCAL_ENVIRONMENT_ID) await dispatch(req, res, { target, caller: { principal, policy } });
      else await forwardToRemote(client, router, policy, principal, req, res, target);
    },
  }];
}

function rawDockerPath(requestUrl: string, id: string): string | undefined {
  const pathname = requestUrl.split('?')[0]!;
  const prefix = `/api/environments/${encodeURIComponent(id)}/docker`;
  if (!pathname.startsWith(prefix)) return undefined;
  return pathname.slice(prefix.length) || '/';
}
