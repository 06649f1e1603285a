import { UnavailableError } from '../errors.ts';
import { spawnHelper } from '../util/spawn/index.ts';

export interface ConmonOptions {
  conmon: string;
  runtime: string;
  runcRoot: string;
  id: string;
  /** Short unique id: names the attach socket link so its path stays under the sun_path limit. */
  cuuid: string;
  name: string;
  bundle: string;
  logPath: string;
  logSizeMax?: number;
  pidFile: string;
  conmonPidFile: string;
  exitDir: string;
  persistDir: string;
  socketDir: string;
  terminal: boolean;
  stdin: boolean;
  /** Keep stdin open after the first attach detaches (`docker run -i` without --attach stdin-once). */
  leaveStdinOpen: boolean;
}

/**
 * Start a container's monitor. conmon double-forks and runs `runc create`; when the
 * container's init exists it writes `{"data": pid}` on the sync pipe (or a negative pid
 * with a message on failure). The monitor then outlives us: it logs stdio with timestamps,
 * and writes the exit code to `<exitDir>/<id>` when the container exits.
 */
export async function startConmon(o: ConmonOptions): Promise<number> {
  const args = [
    '--api-version', '1', '-c', o.id, '-u', o.cuuid, '-n', o.name,
    '-r', o.runtime, '-b', o.bundle, '-p', o.pidFile, '--conmon-pidfile', o.conmonPidFile,
    '--exit-dir', o.exitDir, '--persist-dir', o.persistDir, '--socket-dir-path', o.socketDir,
    '-l', `k8s-file:${o.logPath}`, '--log-level', 'error', '--runtime-arg', `--root=${o.runcRoot}`,
  ];
  if (o.logSizeMax !== undefined) args.push('--log-size-max', String(o.logSizeMax));
  if (o.terminal) args.push('-t');
  if (o.stdin) args.push('-i');
  if (o.leaveStdinOpen) args.push('--leave-stdin-open');
  const res = await spawnHelper({ file: o.conmon, args, env: { ...process.env, _OCI_SYNCPIPE: '3' }, syncLine: true });
  if ('error' in res) throw new UnavailableError(`cannot run conmon: ${res.error.message}`);
  if (res.line === undefined) throw new UnavailableError(`conmon exited before the container was created: ${res.stderr.trim()}`);
  const msg = JSON.parse(res.line) as { data: number; message?: string };
  if (msg.data > 0) return msg.data;
  throw new UnavailableError(`runc create failed: ${cleanRuntimeMessage(msg.message ?? res.stderr)}`);
}

/** runc's JSON log lines arrive inside conmon's message; keep just the human part. */
function cleanRuntimeMessage(m: string): string {
  const match = /msg="((?:[^"\\]|\\.)*)"/.exec(m) ?? /"msg":"((?:[^"\\]|\\.)*)"/.exec(m);
  return (match?.[1] ?? m).replace(/\\"/g, '"').replace(/^runc create failed: /, '').trim();
}
