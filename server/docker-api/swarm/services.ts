import type { Route } from '../router.ts';
import { managerRoute } from './not-in-swarm.ts';

/** `/services`: manager-only verbs, 503 off a swarm. */
export const routes: Route[] = [
  managerRoute('GET', '/services'),
  managerRoute('POST', '/services/create'),
  managerRoute('GET', '/services/:id'),
  managerRoute('DELETE', '/services/:id'),
  managerRoute('POST', '/services/:id/update'),
  managerRoute('GET', '/services/:id/logs'),
];
