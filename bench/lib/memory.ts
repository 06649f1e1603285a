/** Resident memory of an engine's processes, read from /proc (VmRSS), in bytes. */
import { readdir, readFile } from 'node:fs/promises';

async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * Processes whose command line mentions `marker` (each engine here runs on a private
 * directory that its daemons, shims and monitors name in their arguments), plus `extra`.
 * Container processes never name it, so they are not counted: only the engine's own cost.
 */
export async function enginePids(marker: string, extra: number[] = []): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const argv = cmdline.split('\0');
    // The docker CLI of the bench itself names the socket, which lives in the same directory.
    if (argv[0]?.endsWith('docker') && !argv[0].endsWith('dockerd')) continue;
    if (extra.includes(pid) || cmdline.includes(marker)) found.set(pid, (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '?')).trim());
  }
  return found;
}

export interface MemoryFigure { totalBytes: number; byCommand: Record<string, { count: number; bytes: number }> }

export async function engineMemory(marker: string, extra: number[] = []): Promise<MemoryFigure> {
  const byCommand: MemoryFigure['byCommand'] = {};
  let totalBytes = 0;
  for (const [pid, comm] of await enginePids(marker, extra)) {
    const bytes = await rss(pid);
    totalBytes += bytes;
    const entry = (byCommand[comm] ??= { count: 0, bytes: 0 });
    entry.count++;
    entry.bytes += bytes;
  }
  return { totalBytes, byCommand };
}
