import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_UPDATE_INTERVAL_MS } from './updates/schedule.ts';
import { defaultEngineConfig, parseLogConfig, type EngineConfig, type LogConfig } from '../runtime/index.ts';

/** An open dashboard rarely navigates for this long; its page thread then gives back its memory. */
export const DEFAULT_PAGES_IDLE_MS = 10 * 60_000;

/** Everything the server needs to start, validated once at boot. */
export interface ServerConfig {
  /** Dashboard listener. Port 0 asks the kernel for a free port. */
  port: number;
  host: string;
  /** Docker Engine API unix socket. */
  socketPath: string;
  /** Next in development mode (hot reload, no build needed). */
  dev: boolean;
  /** HTTPS listener of the dashboard (same server as HTTP); null when turned off. */
  httpsPort: number | null;
  /** The administrator's certificate and key; absent: one is generated at first start. */
  tls: { cert: string; key: string } | undefined;
  /** The Docker Engine API over TCP, only ever with mutual TLS; absent: off. */
  dockerTls: { host: string; port: number; ca: string } | undefined;
  /** First admin's password when given through the environment; absent otherwise. */
  adminPassword: string | undefined;
  /** How often images in use are compared with their registries; null when turned off. */
  updateIntervalMs: number | null;
  /** App template sources beside the built-in catalogue. */
  templateUrls: string[];
  /** How long the dashboard's page thread may serve nothing before it is stopped; null: never. */
  pagesIdleMs: number | null;
  engine: EngineConfig;
}

/**
 * The environment as a plain map: Next's types make NODE_ENV a required key of
 * NodeJS.ProcessEnv, which would make every partial environment in tests a type error.
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** A bad environment variable; the message names the variable and the value it had. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const absolutePath = z.string().min(1, 'must not be empty').refine(path.isAbsolute, 'must be an absolute path');

// Empty strings count as unset, as they do in most shells' `VAR= cmd` idiom.
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** A duration in whole seconds (at least `min`), as milliseconds; `off` is null. */
const secondsOrOff = (min: number) => z.string()
  .refine((v) => v === 'off' || (/^\d{1,9}$/.test(v) && Number(v) >= min), `must be a number of seconds (at least ${min}) or 'off'`)
  .transform((v) => (v === 'off' ? null : Number(v) * 1000));

const envSchema = z.object({
  PORT: optional(z.string().regex(/^\d{1,5}$/, 'must be a port number').transform(Number)
    .refine((n) => n <= 65535, 'must be a port number between 0 and 65535')),
  WHARF_HOST: optional(z.string().regex(/^[^\s/]+$/, 'must be a host name or IP address')),
  WHARF_SOCKET: optional(absolutePath),
  WHARF_ROOT: optional(absolutePath),
  WHARF_RUN: optional(absolutePath),
  WHARF_RUNTIME: optional(z.string().regex(/^\S+$/, 'must be a binary name or path without spaces')),
  WHARF_CONMON: optional(z.string().regex(/^\S+$/, 'must be a binary name or path without spaces')),
  WHARF_CGROUP_PARENT: optional(z.string().regex(/^\/[\w./-]*$/, 'must be a cgroup path starting with /')),
  WHARF_HTTPS_PORT: optional(z.string()
    .refine((v) => v === 'off' || (/^\d{1,5}$/.test(v) && Number(v) <= 65535), "must be a port number or 'off'")
    .transform((v) => (v === 'off' ? 'off' as const : Number(v)))),
  WHARF_TLS_CERT: optional(absolutePath),
  WHARF_TLS_KEY: optional(absolutePath),
  WHARF_TLS_LISTEN: optional(z.string().regex(/^(?:\[[0-9a-fA-F:]+\]|[^\s:/[\]]+):\d{1,5}$/, 'must be host:port')),
  WHARF_TLS_CA: optional(absolutePath),
  WHARF_BRIDGE_SUBNET: optional(z.string().refine(isPrivateV4Cidr, 'must be an IPv4 subnet in CIDR notation (like 10.210.0.0/16), network address with host bits zero, /8 to /28')),
  WHARF_BRIDGE_NAME: optional(z.string().regex(/^[a-z][a-z0-9_-]{0,12}\d$/, 'must be an interface name of at most 14 characters ending in a digit (like wharf0)')),
  WHARF_CNI_PATH: optional(absolutePath),
  WHARF_ADMIN_PASSWORD: optional(z.string()),
  WHARF_TEMPLATES_URL: optional(z.string().url('must be a URL').refine((u) => /^https?:\/\//i.test(u), 'must be an http or https URL')),
  WHARF_ADMIN_PASSWORD_FILE: optional(absolutePath),
  WHARF_UPDATE_INTERVAL: optional(secondsOrOff(60)),
  WHARF_PAGES_IDLE: optional(secondsOrOff(1)),
  NODE_ENV: optional(z.enum(['development', 'production', 'test'])),
});

/** Reads and validates the server configuration; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const vars = parsed.data;
  // Variables validated here fall back to the built-in defaults (an empty value counts as
  // unset); any other engine setting keeps reading the environment itself.
  const fromEnv = defaultEngineConfig(env as NodeJS.ProcessEnv);
  const defaults = defaultEngineConfig({} as NodeJS.ProcessEnv);
  return {
    port: vars.PORT ?? 9000,
    host: vars.WHARF_HOST ?? '0.0.0.0',
    socketPath: vars.WHARF_SOCKET ?? '/run/wharf/docker.sock',
    dev: vars.NODE_ENV === 'development',
    httpsPort: vars.WHARF_HTTPS_PORT === 'off' ? null : vars.WHARF_HTTPS_PORT ?? 9443,
    tls: tlsFiles(vars.WHARF_TLS_CERT, vars.WHARF_TLS_KEY),
    dockerTls: dockerTls(vars.WHARF_TLS_LISTEN, vars.WHARF_TLS_CA),
    adminPassword: adminPassword(vars.WHARF_ADMIN_PASSWORD, vars.WHARF_ADMIN_PASSWORD_FILE),
    updateIntervalMs: vars.WHARF_UPDATE_INTERVAL === undefined ? DEFAULT_UPDATE_INTERVAL_MS : vars.WHARF_UPDATE_INTERVAL,
    templateUrls: vars.WHARF_TEMPLATES_URL ? [vars.WHARF_TEMPLATES_URL] : [],
    pagesIdleMs: vars.WHARF_PAGES_IDLE === undefined ? DEFAULT_PAGES_IDLE_MS : vars.WHARF_PAGES_IDLE,
    engine: {
      ...fromEnv,
      root: vars.WHARF_ROOT ?? defaults.root,
      runRoot: vars.WHARF_RUN ?? defaults.runRoot,
      runtime: vars.WHARF_RUNTIME ?? defaults.runtime,
      conmon: vars.WHARF_CONMON ?? defaults.conmon,
      cgroupParent: vars.WHARF_CGROUP_PARENT ?? defaults.cgroupParent,
      bridgeName: vars.WHARF_BRIDGE_NAME ?? defaults.bridgeName,
      bridgeSubnet: vars.WHARF_BRIDGE_SUBNET,
      cniPath: vars.WHARF_CNI_PATH ?? defaults.cniPath,
      logConfig: logDefault(env.WHARF_LOG_DRIVER, env.WHARF_LOG_OPTS),
    },
  };
}

/** The daemon's log driver (`WHARF_LOG_DRIVER`) and its options (`WHARF_LOG_OPTS`, `key=value,…`). */
function logDefault(driver: string | undefined, opts: string | undefined): LogConfig {
  const config: Record<string, string> = {};
  for (const pair of (opts ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(`invalid configuration: WHARF_LOG_OPTS=${JSON.stringify(opts)}: ${JSON.stringify(pair)} is not key=value`);
    config[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const log = { Type: driver || 'json-file', Config: config };
  try {
    parseLogConfig(log);
  } catch (e) {
    const name = (e as { field?: string }).field?.endsWith('.Type') ? 'WHARF_LOG_DRIVER' : 'WHARF_LOG_OPTS';
    throw new ConfigError(`invalid configuration: ${name}=${JSON.stringify(name === 'WHARF_LOG_DRIVER' ? driver : opts)}: ${(e as Error).message}`);
  }
  return log;
}

function tlsFiles(cert: string | undefined, key: string | undefined): ServerConfig['tls'] {
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConfigError('invalid configuration: WHARF_TLS_CERT and WHARF_TLS_KEY go together: set both or neither');
  }
  return cert && key ? { cert, key } : undefined;
}

/** The Docker API over TCP is root on this host for whoever reaches it: never without client certificates. */
function dockerTls(listen: string | undefined, ca: string | undefined): ServerConfig['dockerTls'] {
  if (listen === undefined) return undefined;
  if (ca === undefined) {
    throw new ConfigError(`invalid configuration: WHARF_TLS_LISTEN=${JSON.stringify(listen)} needs WHARF_TLS_CA: the Docker API is served over TCP only with mutual TLS`);
  }
  const colon = listen.lastIndexOf(':');
  const port = Number(listen.slice(colon + 1));
  if (port < 1 || port > 65535) throw new ConfigError(`invalid configuration: WHARF_TLS_LISTEN=${JSON.stringify(listen)}: port must be 1-65535`);
  return { host: listen.slice(0, colon).replace(/^\[|\]$/g, ''), port, ca };
}

/** `a.b.c.d/n` with the host bits zero: what a bridge's subnet must be. */
function isPrivateV4Cidr(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits < 8 || bits > 28) return false;
  const n = octets.reduce((a, o) => a * 256 + o, 0);
  return n % 2 ** (32 - bits) === 0;
}

function adminPassword(value: string | undefined, file: string | undefined): string | undefined {
  if (value !== undefined && file !== undefined) {
    throw new ConfigError('invalid configuration: set only one of WHARF_ADMIN_PASSWORD and WHARF_ADMIN_PASSWORD_FILE');
  }
  if (file === undefined) return value;
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`invalid configuration: WHARF_ADMIN_PASSWORD_FILE=${JSON.stringify(file)}: cannot read: ${(err as Error).message}`);
  }
  // Secret files written by editors or `echo` end with a newline that is not part of the password.
  const password = content.replace(/\r?\n$/, '');
  if (password === '') {
    throw new ConfigError(`invalid configuration: WHARF_ADMIN_PASSWORD_FILE=${JSON.stringify(file)}: the file is empty`);
  }
  return password;
}

/** loadConfig for the entry point: a bad variable ends the process with a clear message. */
export function loadConfigOrExit(env: Env = process.env): ServerConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`wharf: ${err.message}`);
    process.exit(1);
  }
}
