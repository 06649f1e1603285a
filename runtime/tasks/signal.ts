import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';

/**
 * Signal a container's init directly. Returns false when that can't be done safely (no
 * state, init gone or its pid reused, a signal Node can't name), so the caller falls back
 * to `runc kill`.
 */
export async function signalInit(stateFile: string, signal: string): Promise<boolean> {
  const sig = /^\d+$/.test(signal) ? Number(signal) : signal;
  if (typeof sig === 'string' && !(sig in constants.signals)) return false;
  let pid: number;
  let start: string;
  try {
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as { init_process_pid?: number; init_process_start?: number | string };
    if (!state.init_process_pid || state.init_process_start === undefined) return false;
    pid = state.init_process_pid;
    start = String(state.init_process_start);
    if ((await procStat(pid))?.startTime !== start) return false;
  } catch {
    return false;
  }
  try {
    process.kill(pid, sig as NodeJS.Signals | number);
    return true;
  } catch {
    return false;
  }
}

/** A process's state letter and start time (/proc/<pid>/stat), or undefined once it is gone. */
export async function procStat(pid: number): Promise<{ state: string; startTime: string } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3; starttime is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, startTime: fields[19]! };
  } catch {
    return undefined;
  }
}
