import { UnavailableError } from '../errors.ts';
import { spawnHelper } from './spawn/index.ts';

export interface RunResult { code: number; stdout: string; stderr: string }

export interface RunOptions {
  cwd?: string;
  /** The process's whole environment; the engine's by default. */
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  /** Resolve with a non-zero exit rather than rejecting. */
  allowFail?: boolean;
}

/**
 * Run a helper binary (runc, mount, iptables…) without a shell and collect its output.
 * Rejects with context when it cannot start or, unless allowFail, exits non-zero.
 */
export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const res = await spawnHelper({ file, args, cwd: opts.cwd, env: { ...(opts.env ?? process.env) }, input: opts.input });
  if ('error' in res) throw new UnavailableError(`cannot run ${file}: ${res.error.message}`);
  if (res.code !== 0 && !opts.allowFail) {
    throw new UnavailableError(`${file} ${args.join(' ')} failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.trim()}`);
  }
  return res;
}
