import { InvalidArgumentError } from '../../../runtime/index.ts';

/** The log drivers dockerd registers on Linux, and Wharf's own `k8s-file`. */
const DRIVERS = new Set(['none', 'local', 'json-file', 'k8s-file', 'syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'gcplogs', 'logentries']);
/** Options every driver takes (moby's builtInLogOpts), checked here rather than by the driver. */
const BUILT_IN = new Set(['mode', 'max-buffer-size']);
/** The options of the file drivers, whose lists are short and stable (moby's ValidateLogOpt of each). */
const OPTIONS: Record<string, Set<string>> = {
  'json-file': new Set(['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag']),
  local: new Set(['max-file', 'max-size', 'compress']),
};

const FIELD = 'HostConfig.LogConfig';

/**
 * moby's logger.ValidateLogOpts at create, with its messages: an unknown driver or log mode is
 * a 400 naming it, before anything is written.
 */
export function checkLogConfig(log: { Type?: string | null; Config?: Record<string, string> | null } | null | undefined): void {
  const type = log?.Type ?? '';
  const opts = log?.Config ?? {};
  if (type === '' || type === 'none') return;
  const mode = opts.mode ?? '';
  if (mode !== '' && mode !== 'blocking' && mode !== 'non-blocking') {
    throw new InvalidArgumentError('logger: logger option \'mode\' can only be one of "blocking" or "non-blocking"', { field: `${FIELD}.Config.mode` });
  }
  if (opts['max-buffer-size'] !== undefined && mode !== 'non-blocking') {
    throw new InvalidArgumentError('logger: option max-buffer-size is only valid with log mode non-blocking', { field: `${FIELD}.Config.max-buffer-size` });
  }
  if (!DRIVERS.has(type)) throw new InvalidArgumentError(`logger: no log driver named '${type}' is registered`, { field: `${FIELD}.Type` });
  const known = OPTIONS[type];
  if (!known) return;
  for (const key of Object.keys(opts)) {
    if (!BUILT_IN.has(key) && !known.has(key)) throw new InvalidArgumentError(`unknown log opt '${key}' for ${type} log driver`, { field: `${FIELD}.Config.${key}` });
  }
}
