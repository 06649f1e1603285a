import type { Route } from '../router.ts';
import { routes as list } from './list.ts';
import { routes as save } from './save.ts';
import { routes as load } from './load.ts';
import { routes as create } from './create.ts';
import { routes as prune } from './prune.ts';
import { routes as inspect } from './inspect.ts';
import { routes as history } from './history.ts';
import { routes as tag } from './tag.ts';
import { routes as remove } from './remove.ts';
import { routes as buildCachePrune } from './build-cache-prune.ts';
import { routes as build } from './build.ts';
import { routes as push } from './push.ts';

/** Fixed paths first: `/images/:name*` would otherwise swallow `/images/get` and friends. */
export const routes: Route[] = [...list, ...save, ...load, ...create, ...prune, ...inspect, ...history, ...tag, ...remove, ...buildCachePrune, ...build, ...push];
