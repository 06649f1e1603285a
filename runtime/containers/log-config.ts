/**
 * Log drivers and their options, parsed once: at create (a bad one is a 400 naming it, before
 * anything is written), for the daemon default, and when a container starts.
 *
 * - `json-file` (the default): Docker's file format at `<id>-json.log`, rotated by `max-size`
 *   and `max-file` under Docker's names, for SDKs and log shippers that read Docker's files.
 * - `local` and `k8s-file`: conmon's own k8s-file record format, one file; `max-size` bounds it
 *   (conmon starts a new file when it is full). `local` takes Docker's defaults for it (20m).
 * - `none`: no log is kept and `docker logs` refuses, as dockerd does.
 * Containers created before drivers were recorded have no type and are read as `k8s-file`.
 */
import { InvalidArgumentError } from '../errors.ts';

export interface LogConfig { Type: string; Config: Record<string, string> }

export type LogDriver = 'json-file' | 'local' | 'k8s-file' | 'none';

export interface LogSettings {
  driver: LogDriver;
  /** Bytes after which the file is rotated; -1 for no limit. */
  maxSize: number;
  /** Files kept, the current one included (json-file). */
  maxFiles: number;
}

/** Options every driver takes (moby's builtInLogOpts). */
const BUILT_IN = ['mode', 'max-buffer-size'];
const OPTIONS: Record<LogDriver, string[]> = {
  'json-file': ['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag'],
  local: ['max-file', 'max-size', 'compress'],
  'k8s-file': ['max-size'],
  none: [],
};
const FIELD = 'HostConfig.LogConfig';
const LEGACY: LogSettings = { driver: 'k8s-file', maxSize: -1, maxFiles: 1 };
/** dockerd's defaults for the `local` driver's size (its file count has no meaning for one file). */
const LOCAL_MAX_SIZE = 20 * 1024 * 1024;

export const LOG_DRIVERS = Object.keys(OPTIONS) as LogDriver[];

/** moby's logger.ValidateLogOpts and each driver's option checks, with their messages. */
export function parseLogConfig(log: { Type?: string | null; Config?: Record<string, string> | null } | null | undefined, field = FIELD): LogSettings {
  const type = log?.Type ?? '';
  const opts = log?.Config ?? {};
  if (type === '') return LEGACY;
  const mode = opts.mode ?? '';
  if (mode !== '' && mode !== 'blocking' && mode !== 'non-blocking') {
    throw new InvalidArgumentError('logger: logger option \'mode\' can only be one of "blocking" or "non-blocking"', { field: `${field}.Config.mode` });
  }
  if (opts['max-buffer-size'] !== undefined && mode !== 'non-blocking') {
    throw new InvalidArgumentError('logger: option max-buffer-size is only valid with log mode non-blocking', { field: `${field}.Config.max-buffer-size` });
  }
  if (!(type in OPTIONS)) throw new InvalidArgumentError(`logger: no log driver named '${type}' is registered`, { field: `${field}.Type` });
  const driver = type as LogDriver;
  for (const key of Object.keys(opts)) {
    if (!BUILT_IN.includes(key) && !OPTIONS[driver].includes(key)) {
      throw new InvalidArgumentError(`unknown log opt '${key}' for ${driver} log driver`, { field: `${field}.Config.${key}` });
    }
  }
  const maxSize = opts['max-size'] === undefined ? (driver === 'local' ? LOCAL_MAX_SIZE : -1) : parseSize(opts['max-size'], `${field}.Config.max-size`);
  let maxFiles = 1;
  if (opts['max-file'] !== undefined) {
    const f = `${field}.Config.max-file`;
    if (!/^[+-]?\d+$/.test(opts['max-file'])) throw new InvalidArgumentError(`strconv.Atoi: parsing ${JSON.stringify(opts['max-file'])}: invalid syntax`, { field: f });
    maxFiles = Number(opts['max-file']);
    if (maxFiles < 1) throw new InvalidArgumentError('max-file cannot be less than 1', { field: f });
  }
  const compress = opts.compress;
  if (compress !== undefined) {
    const f = `${field}.Config.compress`;
    if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(compress)) throw new InvalidArgumentError(`strconv.ParseBool: parsing ${JSON.stringify(compress)}: invalid syntax`, { field: f });
    if (/^(1|t|T|TRUE|true|True)$/.test(compress)) throw new InvalidArgumentError(`log opt 'compress' is not supported: rotated ${driver} logs are kept uncompressed`, { field: f });
  }
  return { driver, maxSize, maxFiles: driver === 'json-file' ? maxFiles : 1 };
}

/** go-units RAMInBytes: `10m`, `1.5k`, `2GiB`, binary multiples. */
function parseSize(text: string, field: string): number {
  const m = /^(\d+(?:\.\d+)?) ?([kmgtp])?(?:i?b)?$/i.exec(text);
  if (!m) throw new InvalidArgumentError(`invalid size: '${text}'`, { field });
  const unit = m[2] ? 'kmgtp'.indexOf(m[2].toLowerCase()) + 1 : 0;
  const bytes = Math.floor(Number(m[1]) * 1024 ** unit);
  if (bytes <= 0) throw new InvalidArgumentError('max-size must be a positive number', { field });
  return bytes;
}
