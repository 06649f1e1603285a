/** Compose's label names: stacks made by compose tools and by Wharf are found the same way. */
export const PROJECT = 'com.docker.compose.project';
export const SERVICE = 'com.docker.compose.service';
export const NUMBER = 'com.docker.compose.container-number';
export const CONFIG_HASH = 'com.docker.compose.config-hash';
export const ONEOFF = 'com.docker.compose.oneoff';
export const WORKING_DIR = 'com.docker.compose.project.working_dir';
export const CONFIG_FILES = 'com.docker.compose.project.config_files';
export const NETWORK = 'com.docker.compose.network';
export const VOLUME = 'com.docker.compose.volume';
/** The service configuration a container was created from, so a plan can name what changed. */
export const SERVICE_CONFIG = 'io.wharf.stack.service-config';

/** `<project>-<service>-<n>`, compose v2's container names. */
export const containerName = (project: string, service: string, n: number): string => `${project}-${service}-${n}`;
