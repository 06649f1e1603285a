import { LOCAL_ENVIRONMENT_ID, type ImageSizeHints } from '../protocol/index.ts';
import { NotFoundError, NotImplementedError, type Engine } from '../../runtime/index.ts';
import type { EnvironmentRegistry } from '../environments/registry.ts';
import type { Route } from './router.ts';

/**
 * An image's size hints (layers, the largest, chainable RUNs, package caches, wasted bytes).
 * The Docker API has no such endpoint, so only the embedded engine answers; it stores them
 * with the image when it builds it, or computes them once on the first request.
 */
export function imageHintsRoutes(engine: Engine, environments: EnvironmentRegistry): Route[] {
  return [{
    method: 'GET', path: '/api/environments/:id/images/:image/hints', access: 'user',
    handler: async ({ params }) => {
      if (!environments.record(params.id!)) throw new NotFoundError(`no such environment: ${params.id}`);
      if (params.id !== LOCAL_ENVIRONMENT_ID) throw new NotImplementedError('size hints need the embedded engine');
      const hints: ImageSizeHints = await engine.builds.hints(params.image!);
      return { status: 200, body: hints };
    },
  }];
}
