/** Where the engine keeps its state and which helper binaries it uses. */
export interface EngineConfig {
  /** Persistent data: metadata, blobs, snapshots, volumes, container dirs. Default /var/lib/wharf. */
  root: string;
  /** Runtime state: runc root, conmon pid/exit files. Default /run/wharf. */
  runRoot: string;
  /** OCI runtime binary (runc). */
  runtime: string;
  /** conmon binary. */
  conmon: string;
  /**
   * Parent cgroup path for containers, e.g. `/wharf`. Tests give each engine its own so
   * that leftovers can be detected and nothing outside is touched.
   */
  cgroupParent: string;
  /** Create busybox:latest from the host's busybox-static when absent. */
  seedBusybox: boolean;
  /** The default bridge network's device; user networks' bridges share its stem. Default `wharf0`. */
  bridgeName: string;
  /** The default bridge's subnet; unset picks a free private /16 (never 172.17.0.0/16) at first boot. */
  bridgeSubnet?: string;
  /** Where the CNI plugins are (Debian's containernetworking-plugins). */
  cniPath: string;
  /** The log driver and options of containers created without one. Default `json-file`. */
  logConfig?: { Type: string; Config: Record<string, string> };
}

export function defaultEngineConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  return {
    root: env.WHARF_ROOT ?? '/var/lib/wharf',
    runRoot: env.WHARF_RUN ?? '/run/wharf',
    runtime: env.WHARF_RUNTIME ?? 'runc',
    conmon: env.WHARF_CONMON ?? 'conmon',
    cgroupParent: env.WHARF_CGROUP_PARENT ?? '/wharf',
    seedBusybox: true,
    bridgeName: env.WHARF_BRIDGE_NAME ?? 'wharf0',
    ...(env.WHARF_BRIDGE_SUBNET ? { bridgeSubnet: env.WHARF_BRIDGE_SUBNET } : {}),
    cniPath: env.WHARF_CNI_PATH ?? '/usr/lib/cni',
  };
}
