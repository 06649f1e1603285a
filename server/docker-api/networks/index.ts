import type { Route } from '../router.ts';
import { routes as list } from './list.ts';
import { routes as create } from './create.ts';
import { routes as prune } from './prune.ts';
import { routes as inspect } from './inspect.ts';
import { routes as remove } from './remove.ts';
import { routes as connect } from './connect.ts';
import { routes as disconnect } from './disconnect.ts';

export const routes: Route[] = [...list, ...create, ...prune, ...inspect, ...remove, ...connect, ...disconnect];
