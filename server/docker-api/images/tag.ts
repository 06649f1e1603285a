import { parseReference } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';
import { sendEmpty } from '../respond.ts';
import { badRequest } from '../errors.ts';

/** POST /images/{name}/tag?repo=&tag=: `docker tag`; the tag defaults to `latest`, as RepoTagReference does. */
export const routes: Route[] = [{
  method: 'POST',
  path: '/images/:name*/tag',
  handler: async ({ engine, res, params, query }) => {
    const repo = query.get('repo') ?? '';
    const tag = query.get('tag') ?? '';
    if (!repo) throw badRequest('repository name must have at least one component (repo)');
    const ref = parseReference(repo);
    if (ref.digest) throw badRequest(`refusing to create a tag with a digest reference: ${repo}`);
    const target = tag ? `${repo.replace(/:[^:/]*$/, '')}:${tag}` : repo;
    engine.images.resolve(params.name!);
    engine.images.tag(params.name!, target);
    sendEmpty(res, 201);
  },
}];
