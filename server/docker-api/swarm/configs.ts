import type { Route } from '../router.ts';
import { managerRoute } from './not-in-swarm.ts';

/** `/configs`: manager-only verbs, 503 off a swarm. */
export const routes: Route[] = [
  managerRoute('GET', '/configs'),
  managerRoute('POST', '/configs/create'),
  managerRoute('GET', '/configs/:id'),
  managerRoute('DELETE', '/configs/:id'),
  managerRoute('POST', '/configs/:id/update'),
];
