import { z } from 'zod';
import type { Route } from '../router.ts';
import { readJSON, sendEmpty } from '../respond.ts';
import { badRequest } from '../errors.ts';
import { forbidden } from './shape.ts';
import { endpointConfigSchema } from './endpoint-config.ts';

const bodySchema = z.object({ Container: z.string({ required_error: 'Container is required' }), EndpointConfig: endpointConfigSchema.nullish() }).passthrough();

/** POST /networks/{id}/connect: a running container joins at once, a stopped one on its next start. */
export const routes: Route[] = [{
  method: 'POST',
  path: '/networks/:id/connect',
  handler: async (r) => {
    const parsed = bodySchema.safeParse(await readJSON<unknown>(r));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw badRequest(`${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const { Container, EndpointConfig } = parsed.data;
    await r.policy?.check({ kind: 'network.connect', network: r.params.id! });
    await forbidden(() => r.engine.networks.connect(r.params.id!, Container, EndpointConfig ?? {}));
    sendEmpty(r.res, 200);
  },
}];
