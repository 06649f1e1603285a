import { NotFoundError, NotImplementedError, type Engine } from '../../runtime/index.ts';
import { LOCAL_ENVIRONMENT_ID } from '../protocol/index.ts';
import type { KernelViewBody } from '../protocol/kernel-view.ts';
import type { EnvironmentRegistry } from '../environments/registry.ts';
import type { Route } from './router.ts';

/**
 * A container's "Under the hood" view: namespaces, veth, NAT rules, cgroup, overlay layers and
 * OCI spec, read from this host's kernel. Reading only, so every signed-in role may look; the
 * Docker API has no such endpoint, so only the embedded engine answers.
 */
export function kernelRoutes(engine: Engine, environments: EnvironmentRegistry): Route[] {
  return [{
    method: 'GET', path: '/api/environments/:id/containers/:cid/kernel', access: 'user',
    handler: async ({ params }) => {
      if (!environments.record(params.id!)) throw new NotFoundError(`no such environment: ${params.id}`);
      if (params.id !== LOCAL_ENVIRONMENT_ID) throw new NotImplementedError('the kernel view needs the embedded engine');
      const body: KernelViewBody = await engine.containers.inspectKernel(params.cid!);
      return { status: 200, body };
    },
  }];
}
