import type { Route } from '../router.ts';
import { pluginNotFound } from './not-installed.ts';

/** `GET /plugins/{name}/json`. */
export const routes: Route[] = [{
  method: 'GET',
  path: '/plugins/:name*/json',
  handler: ({ params }) => Promise.reject(pluginNotFound(params.name!)),
}];
