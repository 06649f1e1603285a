/**
 * A compose project after one parse and normalisation: every short syntax expanded, every
 * relative path made absolute against the stack's folder, `extends` and `env_file` merged,
 * inactive profiles dropped. The plan, the config hash and the create requests read only this.
 */
export interface PortSpec { target: number; published?: string; host_ip?: string; protocol: 'tcp' | 'udp' | 'sctp' }

export interface MountSpec {
  type: 'volume' | 'bind' | 'tmpfs';
  /** A volume's name in the file (not yet prefixed with the project), or an absolute host path. */
  source?: string;
  target: string;
  read_only: boolean;
  tmpfs_size?: number;
}

export interface NetworkAttachment { aliases: string[]; ipv4_address?: string }

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface HealthcheckSpec { test: string[]; interval_ns?: number; timeout_ns?: number; start_period_ns?: number; retries?: number }

export interface BuildSpec { context: string; dockerfile?: string; args: Record<string, string> }

export interface ServiceSpec {
  image?: string;
  build?: BuildSpec;
  command?: string[];
  entrypoint?: string[];
  environment: Record<string, string>;
  ports: PortSpec[];
  expose: string[];
  volumes: MountSpec[];
  networks: Record<string, NetworkAttachment>;
  depends_on: Record<string, { condition: DependencyCondition; required: boolean }>;
  restart?: string;
  mem_limit?: number;
  cpus?: number;
  healthcheck?: HealthcheckSpec | { disable: true };
  labels: Record<string, string>;
  hostname?: string;
  working_dir?: string;
  user?: string;
  privileged?: boolean;
  network_mode?: string;
  /** Files of top-level configs and secrets, mounted read-only (absolute host path → target). */
  files: Array<{ source: string; target: string }>;
}

export interface NetworkSpec { external: boolean; name: string; driver?: string; internal: boolean; subnet?: string; labels: Record<string, string> }
export interface VolumeSpec { external: boolean; name: string; driver?: string; labels: Record<string, string> }

export interface Project {
  name: string;
  /** The stack's folder: relative paths in the file are relative to it. */
  workingDir: string;
  configFiles: string[];
  services: Record<string, { spec: ServiceSpec; replicas: number }>;
  networks: Record<string, NetworkSpec>;
  volumes: Record<string, VolumeSpec>;
}
