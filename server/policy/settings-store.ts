import type { DashboardDb } from '../auth/db.ts';
import { DEFAULT_SECURITY_SETTINGS, securitySettingsSchema, type SecuritySettings } from './settings.ts';

interface Row { settings: string }

/** The security settings of each environment, in dashboard.db (absent: nothing relaxed). */
export class SecuritySettingsStore {
  constructor(private readonly db: DashboardDb) {}

  get(environment: string): SecuritySettings {
    const row = this.db.prepare('SELECT settings FROM environment_security WHERE environment = ?').get(environment) as Row | undefined;
    if (!row) return { ...DEFAULT_SECURITY_SETTINGS };
    // A setting added after the row was written starts refused.
    const parsed = securitySettingsSchema.partial().safeParse(JSON.parse(row.settings));
    return { ...DEFAULT_SECURITY_SETTINGS, ...(parsed.success ? parsed.data : {}) };
  }

  set(environment: string, settings: SecuritySettings): SecuritySettings {
    const checked = securitySettingsSchema.parse(settings);
    this.db.prepare(`INSERT INTO environment_security (environment, settings, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(environment) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`)
      .run(environment, JSON.stringify(checked), new Date().toISOString());
    return checked;
  }

  /** An environment that is removed takes its settings with it. */
  remove(environment: string): void {
    this.db.prepare('DELETE FROM environment_security WHERE environment = ?').run(environment);
  }
}
