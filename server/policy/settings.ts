// The settings are part of the wire contract: the Settings page edits them.
export { DEFAULT_SECURITY_SETTINGS, SECURITY_RULES, securitySettingsSchema, type SecurityRule, type SecuritySettings } from '../protocol/index.ts';
