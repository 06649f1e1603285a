import { PermissionDeniedError } from '../../runtime/index.ts';
import type { Principal } from './principal.ts';
import type { SecurityRule } from './settings.ts';

/** One setting of a request that reaches the host, and the rule that governs it. */
export interface Violation { rule: SecurityRule | 'admin'; field: string; what: string }

export const violation = (rule: Violation['rule'], field: string, what: string): Violation => ({ rule, field, what });

/** The first violation the principal's role and environment settings do not allow, as a 403 naming the field. */
export function enforce(principal: Principal, found: ReadonlyArray<Violation>): void {
  if (principal.role === 'admin') return;
  const refused = found.find((v) => v.rule === 'admin' || !principal.settings[v.rule]);
  if (refused) throw new PermissionDeniedError(`${principal.role}s cannot use ${refused.what} (${refused.field})`, { field: refused.field });
}
