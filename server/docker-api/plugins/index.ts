import type { Route } from '../router.ts';
import { routes as list } from './list.ts';
import { routes as install } from './install.ts';
import { routes as inspect } from './inspect.ts';
import { routes as manage } from './manage.ts';
import { routes as remove } from './remove.ts';

// The fixed paths (`/plugins/pull`…) come before the ones whose name spans segments.
export const routes: Route[] = [...list, ...install, ...inspect, ...manage, ...remove];
