import type { Route } from '../router.ts';
import { routes as swarm } from './swarm.ts';
import { routes as nodes } from './nodes.ts';
import { routes as services } from './services.ts';
import { routes as tasks } from './tasks.ts';
import { routes as secrets } from './secrets.ts';
import { routes as configs } from './configs.ts';

export const routes: Route[] = [...swarm, ...nodes, ...services, ...tasks, ...secrets, ...configs];
