import type { Route } from '../router.ts';
import { managerRoute } from './not-in-swarm.ts';

/** `/nodes`: manager-only verbs, 503 off a swarm. */
export const routes: Route[] = [
  managerRoute('GET', '/nodes'),
  managerRoute('GET', '/nodes/:id'),
  managerRoute('DELETE', '/nodes/:id'),
  managerRoute('POST', '/nodes/:id/update'),
];
