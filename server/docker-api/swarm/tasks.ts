import type { Route } from '../router.ts';
import { managerRoute } from './not-in-swarm.ts';

/** `/tasks`: manager-only verbs, 503 off a swarm. */
export const routes: Route[] = [
  managerRoute('GET', '/tasks'),
  managerRoute('GET', '/tasks/:id'),
  managerRoute('GET', '/tasks/:id/logs'),
];
