import { PermissionDeniedError } from '../../runtime/index.ts';
import { containerAccessViolations } from './checks.ts';
import type { PolicyLookup } from './lookup.ts';
import type { Principal } from './principal.ts';
import { ROUTE_RULES, routeKey } from './route-rules.ts';
import { enforce } from './violation.ts';

/**
 * The rule of the verb the engine's router picked, for the principal: deny by default, reads for
 * every role, and no reaching into a container the principal could not have created.
 */
export async function authorizeRoute(principal: Principal, route: { method: string; path: string }, params: Record<string, string>, lookup: PolicyLookup): Promise<void> {
  if (principal.role === 'admin') return;
  const rule = ROUTE_RULES.get(routeKey(route));
  if (!rule) throw new PermissionDeniedError(`only administrators can use ${routeKey(route)}`);
  const reading = rule === 'read' || rule === 'read-container';
  if (principal.role === 'readonly' && !reading) throw new PermissionDeniedError('readonly users can only view (GET and HEAD requests)');
  if ((rule === 'read-container' || rule === 'operate-container') && params.id) {
    enforce(principal, await containerAccessViolations(lookup, params.id));
  }
}
