import type { ContainerConfig } from '../../../runtime/index.ts';
import { badRequest } from '../errors.ts';
import type { Route } from '../router.ts';
import { queryBool, readJSON, sendJSON } from '../respond.ts';

/**
 * `POST /commit?container=&repo=&tag=&comment=&author=&pause=&changes=`: a new image from a
 * container's changes. The body, if any, is a container config that replaces the container's
 * own as the base of the new image's.
 */
export const routes: Route[] = [{
  method: 'POST',
  path: '/commit',
  handler: async (r) => {
    const q = r.query;
    const body = await readJSON<Partial<ContainerConfig> | null>(r);
    if (body !== null && (typeof body !== 'object' || Array.isArray(body))) throw badRequest('invalid container config');
    await r.policy?.check({ kind: 'image.commit', container: q.get('container') ?? '', changes: q.getAll('changes') });
    const id = await r.engine.containerOps.commit(q.get('container') ?? '', {
      repo: q.get('repo') ?? undefined,
      tag: q.get('tag') ?? undefined,
      comment: q.get('comment') ?? undefined,
      author: q.get('author') ?? undefined,
      pause: queryBool(q, 'pause', true),
      changes: q.getAll('changes').filter(Boolean),
      config: body && Object.keys(body).length ? body : null,
    });
    sendJSON(r.res, 201, { Id: id });
  },
}];
