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
}

export function defaultEngineConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  return {
    root: env.WHARF_ROOT ?? '/var/lib/wharf',
    runRoot: env.WHARF_RUN ?? '/run/wharf',
    runtime: env.WHARF_RUNTIME ?? 'runc',
    conmon: env.WHARF_CONMON ?? 'conmon',
    cgroupParent: env.WHARF_CGROUP_PARENT ?? '/wharf',
    seedBusybox: true,
  };
}
