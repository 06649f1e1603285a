import type { Route } from '../router.ts';
import { managerRoute } from './not-in-swarm.ts';

/** `/secrets`: manager-only verbs, 503 off a swarm. */
export const routes: Route[] = [
  managerRoute('GET', '/secrets'),
  managerRoute('POST', '/secrets/create'),
  managerRoute('GET', '/secrets/:id'),
  managerRoute('DELETE', '/secrets/:id'),
  managerRoute('POST', '/secrets/:id/update'),
];
