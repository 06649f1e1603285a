import { InternalError } from '../errors.ts';
import { run } from '../util/exec.ts';

/**
 * The host's `ps` over a container's processes, as dockerd runs it: `ps <args> -q <pids>`, or
 * plain `ps <args>` when the options clash with `-q` (the caller keeps the container's rows).
 */
export async function psOutput(args: readonly string[], pids: readonly number[]): Promise<string> {
  let r = await run('ps', [...args, `-q${pids.join(',')}`], { allowFail: true });
  if (r.code !== 0) r = await run('ps', args, { allowFail: true });
  if (r.code !== 0) throw new InternalError(r.stderr.split('\n')[0] || 'ps failed');
  return r.stdout;
}
