/**
 * What `runc delete` does for a container whose init has exited, without a process for it:
 * remove the container's cgroups and runc's state directory. Anything this can't settle
 * (processes left in a cgroup, hooks to run, Intel RDT, an init still alive) returns false and
 * the caller runs `runc delete --force`, which kills and waits as needed.
 */
import { readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { procStat } from './signal.ts';

interface RuncStateFile {
  init_process_pid?: number;
  init_process_start?: number | string;
  cgroup_paths?: Record<string, string>;
  intel_rdt_path?: string;
  config?: { hooks?: Record<string, unknown[] | null> | null };
}

export async function removeStopped(stateDir: string): Promise<boolean> {
  let state: RuncStateFile;
  try {
    state = JSON.parse(await readFile(join(stateDir, 'state.json'), 'utf8')) as RuncStateFile;
  } catch {
    return false;
  }
  if (state.intel_rdt_path || Object.values(state.config?.hooks ?? {}).some((h) => (h?.length ?? 0) > 0)) return false;
  if (await initAlive(state)) return false;
  // Shared hierarchies (cpu,cpuacct) list one directory under two names: a second rmdir finds it gone.
  for (const path of new Set(Object.values(state.cgroup_paths ?? {}))) {
    try {
      await rmdir(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    }
  }
  await rm(stateDir, { recursive: true, force: true });
  return true;
}

async function initAlive(state: RuncStateFile): Promise<boolean> {
  if (!state.init_process_pid) return false;
  const stat = await procStat(state.init_process_pid);
  // A zombie has exited: only its parent has not collected it yet.
  return stat !== undefined && stat.startTime === String(state.init_process_start) && stat.state !== 'Z';
}
