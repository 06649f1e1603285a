import { NotFoundError } from '../../../runtime/index.ts';

/** No plugin is ever installed in Wharf: dockerd's answer for a name its plugin store lacks. */
export function pluginNotFound(name: string): NotFoundError {
  return new NotFoundError(`plugin ${JSON.stringify(name)} not found`);
}
