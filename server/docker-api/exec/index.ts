import type { Route } from '../router.ts';
import { routes as create } from './create.ts';
import { routes as start } from './start.ts';
import { routes as resize } from './resize.ts';
import { routes as inspect } from './inspect.ts';

/** Exec verbs; one file each. */
export const routes: Route[] = [...create, ...start, ...resize, ...inspect];
