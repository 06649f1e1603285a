import type { Route } from '../router.ts';
import { managerRoute, memberRoute, unsupportedRoute } from './not-in-swarm.ts';

/** `/swarm/*` of a node that is not in a swarm (moby's daemon/cluster/swarm.go). */
export const routes: Route[] = [
  managerRoute('GET', '/swarm'),
  unsupportedRoute('POST', '/swarm/init', 'cannot initialise a swarm'),
  unsupportedRoute('POST', '/swarm/join', 'cannot join a swarm'),
  memberRoute('POST', '/swarm/leave'),
  managerRoute('POST', '/swarm/update'),
  managerRoute('GET', '/swarm/unlockkey'),
  managerRoute('POST', '/swarm/unlock'),
];
