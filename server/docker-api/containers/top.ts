import { InternalError } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';
import { badRequest } from '../errors.ts';
import { sendJSON } from '../respond.ts';
import { publishContainerEvent } from './events.ts';

/** dockerd refuses `ps` arguments that would rename the PID column it parses. */
function validatePsArgs(psArgs: string): void {
  for (const m of psArgs.matchAll(/\s+([^\s]*)=\s*(PID[^\s]*)/g)) {
    if (m[1] !== 'pid') throw badRequest(`specifying "${m[1]}=${m[2]}" is not allowed (ps_args)`);
  }
}

/** dockerd's parsePSOutput: keep the rows of the container's pids (and the thread rows under them). */
export function parsePsOutput(output: string, pids: Set<number>): { Titles: string[]; Processes: string[][] } {
  const lines = output.split('\n');
  const Titles = lines[0]!.split(/[ \t]+/).filter(Boolean);
  const pidIndex = Titles.indexOf('PID');
  if (pidIndex < 0) throw new InternalError("Couldn't find PID field in ps output");
  const Processes: string[][] = [];
  let inContainer = false;
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const fields = line.split(/[ \t]+/).filter(Boolean);
    const row = (): string[] => [...fields.slice(0, Titles.length - 1), fields.slice(Titles.length - 1).join(' ')];
    if (fields[pidIndex] === '-') {
      if (inContainer) Processes.push(row());
      continue;
    }
    const pid = Number(fields[pidIndex]);
    if (!Number.isInteger(pid)) throw new InternalError(`Unexpected pid '${fields[pidIndex]}'`);
    inContainer = pids.has(pid);
    if (inContainer) Processes.push(row());
  }
  return { Titles, Processes };
}

/** `docker top`: the engine runs the host's `ps` over the container's pids; its rows are kept here. */
export const routes: Route[] = [{
  method: 'GET',
  path: '/containers/:id/top',
  handler: async ({ engine, res, params, query }) => {
    const psArgs = query.get('ps_args') || '-ef';
    validatePsArgs(psArgs);
    const row = engine.containers.get(params.id!);
    const { pids, output } = await engine.containers.top(row.id, psArgs.split(' ').filter(Boolean));
    const list = parsePsOutput(output, new Set(pids));
    publishContainerEvent(engine, row, 'top');
    sendJSON(res, 200, list);
  },
}];
