import type { Route } from '../router.ts';

export const routes: Route[] = [];
