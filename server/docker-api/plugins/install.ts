import { NotImplementedError } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';

/** Installing a managed plugin (`privileges`, `pull`, `create`): Wharf has no plugin system, so 501 naming it. */
export const routes: Route[] = [
  ['GET', '/plugins/privileges'],
  ['POST', '/plugins/pull'],
  ['POST', '/plugins/create'],
].map(([method, path]): Route => ({
  method: method as Route['method'],
  path: path!,
  handler: () => Promise.reject(new NotImplementedError('managed plugins are not supported by Wharf')),
}));
