import { containerAccessViolations, subjectViolations } from './checks.ts';
import type { PolicyLookup } from './lookup.ts';
import type { Principal } from './principal.ts';
import { authorizeRoute } from './route-policy.ts';
import type { SecuritySettingsStore } from './settings-store.ts';
import type { PolicySubject } from './subjects.ts';
import { enforce } from './violation.ts';
import type { SessionUser } from '../protocol/index.ts';

export type { Principal } from './principal.ts';
export type { PolicySubject } from './subjects.ts';
export type { PolicyLookup } from './lookup.ts';
export { engineLookup, clientLookup } from './lookup.ts';
export { SecuritySettingsStore } from './settings-store.ts';
export { CHECKED_VERBS, ROUTE_RULES, routeKey } from './route-rules.ts';
export { DEFAULT_SECURITY_SETTINGS, SECURITY_RULES, securitySettingsSchema, type SecuritySettings, type SecurityRule } from './settings.ts';

/** The policy of one request, bound to its principal and to the engine that executes it. */
export interface RequestPolicy {
  /** Throws a 403 naming the first field the principal may not use. */
  check(subject: PolicySubject): Promise<void>;
}

/**
 * Role rules for the Docker API, decided on what the engine's router matched and on the options
 * its verbs parsed, never on a reading of its own.
 */
export class PolicyService {
  constructor(private readonly settings: SecuritySettingsStore) {}

  principal(user: SessionUser, environment: string): Principal {
    return { username: user.username, role: user.role, environment, settings: this.settings.get(environment) };
  }

  authorizeRoute(principal: Principal, route: { method: string; path: string }, params: Record<string, string>, lookup: PolicyLookup): Promise<void> {
    return authorizeRoute(principal, route, params, lookup);
  }

  /** A container the principal works inside, or recreates: refused unless they could have created it. */
  async checkContainer(principal: Principal, lookup: PolicyLookup, id: string): Promise<void> {
    if (principal.role !== 'admin') enforce(principal, await containerAccessViolations(lookup, id));
  }

  bind(principal: Principal, lookup: PolicyLookup): RequestPolicy {
    return {
      async check(subject) {
        if (principal.role === 'admin') return;
        enforce(principal, await subjectViolations(subject, lookup));
      },
    };
  }
}
