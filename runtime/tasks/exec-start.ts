import { watch } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/** Where `runc exec` tells whether it started the process: its pid file, and its JSON log. */
export interface ExecStartFiles { pidFile: string; logFile: string }

/** Global and `exec` flags of runc that write those files. */
export function execStartArgs(f: ExecStartFiles): { global: string[]; exec: string[] } {
  return { global: ['--log', f.logFile, '--log-format', 'json'], exec: ['--pid-file', f.pidFile] };
}

/**
 * Resolves once it is known whether runc started the process: runc writes its pid file right
 * after the process started, and when it could not start it, it logs why and exits. The
 * outcome is the error runc logged, or undefined when the process runs (or ran).
 */
export function execStartOutcome(f: ExecStartFiles, exited: Promise<number>): Promise<string | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (error: string | undefined): void => {
      if (done) return;
      done = true;
      watcher?.close();
      clearInterval(poll);
      resolve(error);
    };
    const present = (): Promise<boolean> => access(f.pidFile).then(() => true, () => false);
    // Held output can fill a pipe and stall the command: never rely on the watch alone.
    const poll = setInterval(() => void present().then((yes) => { if (yes) finish(undefined); }), 100);
    poll.unref();
    let watcher: ReturnType<typeof watch> | undefined;
    try {
      watcher = watch(dirname(f.pidFile), (_ev, name) => {
        if (name?.toString() === basename(f.pidFile)) void present().then((yes) => { if (yes) finish(undefined); });
      });
      watcher.on('error', () => undefined);
    } catch {
      // Without a watch, the exit still settles it.
    }
    void present().then((yes) => { if (yes) finish(undefined); });
    void exited.then(async () => finish(await present() ? undefined : await loggedError(f.logFile)));
  });
}

/** The last error runc logged (JSON lines), if any. */
async function loggedError(logFile: string): Promise<string | undefined> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  let error: string | undefined;
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string };
      if ((entry.level === 'error' || entry.level === 'fatal') && entry.msg) error = entry.msg;
    } catch { /* a partial line */ }
  }
  return error;
}

/**
 * dockerd's exit code for an exec that could not start: 127 when the command is not there,
 * 126 when it can't be run (or for any other failure to start).
 */
export function execStartExitCode(error: string, cmd: string): number {
  const e = error.toLowerCase();
  if (e.includes('not a directory')) return 127;
  if (e.includes('permission denied')) return 126;
  if (e.includes(cmd.toLowerCase()) && (e.includes('executable file not found') || e.includes('no such file or directory'))) return 127;
  return 126;
}

/** The line dockerd writes into the exec's output when it could not start it. */
export function execStartMessage(error: string): string {
  return `OCI runtime exec failed: ${error}: unknown\r\n`;
}
