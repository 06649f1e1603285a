import { parseLogConfig } from '../../../runtime/index.ts';

/**
 * moby's logger.ValidateLogOpts at create, with its messages: an unknown driver, option or
 * option value is a 400 naming it, before anything is written. The engine owns the one parser
 * (it also applies the daemon's default driver when none is named, and checks the result).
 */
export function checkLogConfig(log: { Type?: string | null; Config?: Record<string, string> | null } | null | undefined): void {
  if (log?.Type) parseLogConfig(log);
}
