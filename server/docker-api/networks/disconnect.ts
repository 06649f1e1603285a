import { z } from 'zod';
import type { Route } from '../router.ts';
import { readJSON, sendEmpty } from '../respond.ts';
import { badRequest } from '../errors.ts';
import { forbidden } from './shape.ts';

const bodySchema = z.object({ Container: z.string({ required_error: 'Container is required' }), Force: z.boolean().optional() }).passthrough();

/** POST /networks/{id}/disconnect: the container leaves the network (at once when running). */
export const routes: Route[] = [{
  method: 'POST',
  path: '/networks/:id/disconnect',
  handler: async (r) => {
    const parsed = bodySchema.safeParse(await readJSON<unknown>(r));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw badRequest(`${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    await forbidden(() => r.engine.networks.disconnect(r.params.id!, parsed.data.Container, parsed.data.Force ?? false));
    sendEmpty(r.res, 200);
  },
}];
