import type { Role } from '../protocol/index.ts';
import type { SecuritySettings } from './settings.ts';

/**
 * Who a Docker API request acts for, when it comes through the dashboard. Requests on the
 * engine's own socket carry none: that socket is root's, and root is not restricted.
 */
export interface Principal {
  username: string;
  role: Role;
  environment: string;
  /** The environment's security settings, as of the request. */
  settings: SecuritySettings;
}
