import { z } from 'zod';

/**
 * What an administrator may allow non-administrators on one environment, as Portainer's
 * environment security settings do. Everything is refused unless relaxed here.
 */
export const securitySettingsSchema = z.object({
  /** Host paths: `Binds` and `Mounts` of type bind, volumes whose driver options mount a host path or device. */
  bindMounts: z.boolean(),
  /** `Privileged` for containers and exec sessions. */
  privileged: z.boolean(),
  /** The host's PID, IPC, network, UTS, user and cgroup namespaces; host-attached network drivers; a cgroup parent. */
  hostNamespaces: z.boolean(),
  /** `Devices`, device cgroup rules and device requests. */
  devices: z.boolean(),
  /** `CapAdd`. */
  capabilities: z.boolean(),
  /** `Sysctls`. */
  sysctls: z.boolean(),
  /** `SecurityOpt` (seccomp, AppArmor, SELinux, no-new-privileges off), masked and read-only paths. */
  securityOptions: z.boolean(),
}).strict();

export type SecuritySettings = z.infer<typeof securitySettingsSchema>;
export type SecurityRule = keyof SecuritySettings;

export const SECURITY_RULES = Object.keys(securitySettingsSchema.shape) as SecurityRule[];

/** How the Settings page names each relaxation. */
export const SECURITY_RULE_LABELS: Readonly<Record<SecurityRule, string>> = {
  bindMounts: 'Bind mounts and volumes that mount host paths',
  privileged: 'Privileged mode (containers and exec)',
  hostNamespaces: "The host's PID, IPC, network, UTS, user and cgroup namespaces",
  devices: 'Host devices',
  capabilities: 'Added capabilities (CapAdd)',
  sysctls: 'Sysctls',
  securityOptions: 'Security options (seccomp, AppArmor, masked paths)',
};

/** Nothing relaxed: non-administrators get what an unprivileged container can do. */
export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = Object.freeze({
  bindMounts: false, privileged: false, hostNamespaces: false, devices: false, capabilities: false, sysctls: false, securityOptions: false,
});
