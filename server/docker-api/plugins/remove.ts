import type { Route } from '../router.ts';
import { pluginNotFound } from './not-installed.ts';

/** `DELETE /plugins/{name}`. */
export const routes: Route[] = [{
  method: 'DELETE',
  path: '/plugins/:name*',
  handler: ({ params }) => Promise.reject(pluginNotFound(params.name!)),
}];
