import { Router } from '../http/router.ts';
import type { Route } from './router.ts';
import { routes as system } from './system/index.ts';
import { routes as containers } from './containers/index.ts';
import { routes as containerOps } from './containers/ops.ts';
import { routes as exec } from './exec/index.ts';
import { routes as images } from './images/index.ts';
import { routes as volumes } from './volumes/index.ts';
import { routes as networks } from './networks/index.ts';
import { routes as swarm } from './swarm/index.ts';
import { routes as plugins } from './plugins/index.ts';

/** Every Docker API verb Wharf serves, in matching order; each folder lists its own, one file per verb. */
export function allRoutes(): Route[] {
  return [...system, ...containers, ...containerOps, ...exec, ...images, ...volumes, ...networks, ...swarm, ...plugins];
}

export function buildRouter(): Router<Route> {
  return new Router<Route>().add(...allRoutes());
}
