import { InvalidArgumentError } from '../errors.ts';
import { DEFAULT_PATH_ENV } from './defaults.ts';

export const defaultPath = DEFAULT_PATH_ENV;

const envKey = (e: string): string => {
  const i = e.indexOf('=');
  return i < 0 ? e : e.slice(0, i);
};

/**
 * The container's Config.Env as Docker stores it at create: the user's entries in their order,
 * then the image's entries whose key the user did not set.
 */
export function mergeEnv(imageEnv: readonly string[] = [], userEnv: readonly string[] = []): string[] {
  if (userEnv.length === 0) return [...imageEnv];
  const userKeys = new Set(userEnv.map(envKey));
  return [...userEnv, ...imageEnv.filter((e) => !userKeys.has(envKey(e)))];
}

/**
 * Docker's ReplaceOrAppendEnvValues: overrides replace defaults in place or are appended; an
 * override without "=" unsets the key.
 */
export function replaceOrAppendEnv(defaults: readonly string[], overrides: readonly string[]): string[] {
  const out: (string | undefined)[] = [...defaults];
  const index = new Map<string, number>();
  out.forEach((e, i) => index.set(envKey(e!), i));
  for (const value of overrides) {
    const key = envKey(value);
    const at = index.get(key);
    if (!value.includes('=')) {
      if (at !== undefined) out[at] = undefined;
      continue;
    }
    if (at !== undefined && out[at] !== undefined) out[at] = value;
    else {
      index.set(key, out.length);
      out.push(value);
    }
  }
  return out.filter((e): e is string => e !== undefined);
}

/**
 * The process environment Docker gives a container (CreateDaemonEnvironment): PATH, HOSTNAME and,
 * with a TTY, TERM=xterm first; the container's Config.Env overrides them by key.
 */
export function processEnv(configEnv: readonly string[], opts: { hostname: string; terminal: boolean }): string[] {
  const base = [defaultPath, `HOSTNAME=${opts.hostname}`];
  if (opts.terminal) base.push('TERM=xterm');
  return replaceOrAppendEnv(base, configEnv);
}

export interface ConfigCommand {
  entrypoint: string[];
  cmd: string[];
}

/**
 * Docker's merge of the image's Entrypoint/Cmd with the user's: a user entrypoint (even [""])
 * drops the image's cmd; no user entrypoint keeps the image's; [""] clears the entrypoint.
 */
export function mergeConfigCommand(imageEntrypoint?: readonly string[] | null, imageCmd?: readonly string[] | null,
  userEntrypoint?: readonly string[] | null, userCmd?: readonly string[] | null): ConfigCommand {
  let entrypoint = userEntrypoint ? [...userEntrypoint] : undefined;
  let cmd = userCmd ? [...userCmd] : [];
  if (!entrypoint || entrypoint.length === 0) {
    if (cmd.length === 0) cmd = [...(imageCmd ?? [])];
    if (!entrypoint) entrypoint = [...(imageEntrypoint ?? [])];
  }
  if (entrypoint.length === 1 && entrypoint[0] === '') entrypoint = [];
  if (entrypoint.length === 0 && cmd.length === 0) throw new InvalidArgumentError('no command specified');
  return { entrypoint, cmd };
}

/** The process args (Path + Args) for a container. */
export function mergeCommand(imageEntrypoint?: readonly string[] | null, imageCmd?: readonly string[] | null,
  userEntrypoint?: readonly string[] | null, userCmd?: readonly string[] | null): string[] {
  const { entrypoint, cmd } = mergeConfigCommand(imageEntrypoint, imageCmd, userEntrypoint, userCmd);
  return [...entrypoint, ...cmd];
}
