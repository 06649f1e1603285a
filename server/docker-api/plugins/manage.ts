import type { Route } from '../router.ts';
import { pluginNotFound } from './not-installed.ts';

/** The verbs on an installed plugin (`enable`, `disable`, `set`, `push`, `upgrade`): none is installed, so 404 as dockerd. */
export const routes: Route[] = ['enable', 'disable', 'set', 'push', 'upgrade'].map((verb): Route => ({
  method: 'POST',
  path: `/plugins/:name*/${verb}`,
  handler: ({ params }) => Promise.reject(pluginNotFound(params.name!)),
}));
