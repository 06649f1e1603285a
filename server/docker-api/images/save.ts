import type { Route, Request } from '../router.ts';
import { badRequest } from '../errors.ts';

/**
 * `docker save`: the archive streams as it is written. Names are resolved before the first
 * byte, so an unknown image is still an ordinary 404.
 */
async function save(r: Request, names: string[]): Promise<void> {
  if (names.length === 0) throw badRequest('no images specified (names)');
  r.res.setHeader('Content-Type', 'application/x-tar');
  await r.engine.images.save(names, r.res);
}

export const routes: Route[] = [
  { method: 'GET', path: '/images/get', handler: (r) => save(r, r.query.getAll('names').filter(Boolean)) },
  { method: 'GET', path: '/images/:name*/get', handler: (r) => save(r, [r.params.name!]) },
];
