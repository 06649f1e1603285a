import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { UnavailableError } from '../errors.ts';
import { join } from 'node:path';
import { Runc, type RuncState } from './runc.ts';
import { startConmon } from './conmon.ts';
import { ExitWatcher, type ExitStatus } from './exit-watch.ts';
import { connectStdin, type StdinConnection } from './attach.ts';
import { spawnExec, type ExecProcessOptions, type ExecSession } from './exec.ts';
import { execStartArgs } from './exec-start.ts';
import { sampleCpu, sampleStats, type ContainerStats, type SampleTarget } from './stats.ts';
import type { Spec } from '../oci/types.ts';
import { TextReader } from '../util/workers/text-reader.ts';

export interface TaskPaths { bundle: string; logPath: string }

export interface CreateTaskOptions extends TaskPaths {
  name: string; terminal: boolean; stdin: boolean; stdinOnce: boolean;
  /** conmon starts a new log file past this many bytes (unset: no limit). */
  logSizeMax?: number;
}

/**
 * The only API for live processes: a container's task (runc under one conmon each) and the
 * processes exec'd into it. Tasks outlive the engine process; everything needed to find them
 * again lives under `runRoot`. Exec sessions live here too, so a resize reaches the terminal
 * of an exec that another request is streaming.
 */
export class TaskService {
  private readonly runc: Runc;
  private readonly execs = new Map<string, ExecSession>();
  private readonly exits: ExitWatcher;
  private readonly exitDir: string;
  /** Cgroup and /proc counters for stats, read off the event loop. */
  private readonly counters = new TextReader();

  constructor(private readonly runRoot: string, runtime: string, private readonly conmon: string, onExit: (id: string, s: ExitStatus) => void) {
    this.runc = new Runc(runtime, join(runRoot, 'runc'));
    this.exitDir = join(runRoot, 'exits');
    this.exits = new ExitWatcher(this.exitDir, onExit);
  }

  async init(): Promise<void> {
    for (const d of ['runc', 'exits', 'tasks', 's']) await mkdir(join(this.runRoot, d), { recursive: true, mode: 0o700 });
    this.exits.start();
  }

  close(): void {
    this.exits.stop();
    void this.counters.close();
  }

  private taskDir(id: string): string {
    return join(this.runRoot, 'tasks', id);
  }

  /** `runc create` under a fresh conmon; returns the container's init pid (not yet started). */
  async create(id: string, o: CreateTaskOptions): Promise<number> {
    await rm(join(this.exitDir, id), { force: true });
    const dir = this.taskDir(id);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return startConmon({
      conmon: this.conmon, runtime: await this.runtimePath(), runcRoot: this.runc.root,
      id, cuuid: id.slice(0, 12), name: o.name, bundle: o.bundle, logPath: o.logPath, logSizeMax: o.logSizeMax,
      pidFile: join(dir, 'pid'), conmonPidFile: join(dir, 'conmon.pid'),
      exitDir: this.exitDir, persistDir: dir, socketDir: join(this.runRoot, 's'),
      terminal: o.terminal, stdin: o.stdin, leaveStdinOpen: o.stdin && !o.stdinOnce,
    });
  }

  /** Run the process of the task `create` made, whose init is `pid`. */
  async start(id: string, pid: number): Promise<void> {
    await this.runc.start(id, pid);
  }

  /** Signal the task's init (`all`: every process in it); a task already gone is not an error. */
  kill(id: string, signal: string, all = false): Promise<void> {
    return this.runc.kill(id, signal, all);
  }

  pause(id: string): Promise<void> {
    return this.runc.pause(id);
  }

  resume(id: string): Promise<void> {
    return this.runc.resume(id);
  }

  /** Change the cgroup limits of a running task (an OCI LinuxResources object). */
  update(id: string, resources: object): Promise<void> {
    return this.runc.update(id, resources);
  }

  /** Host pids of every process in the task. */
  pids(id: string): Promise<number[]> {
    return this.runc.ps(id);
  }

  /** One reading of the task's cgroup and (unless it shares the host's) network namespace. */
  stats(target: SampleTarget): Promise<ContainerStats> {
    return sampleStats((p) => this.counters.read(p), target);
  }

  /** The CPU figures of a reading alone (what a later reading carries as `precpu_stats`). */
  cpuStats(target: SampleTarget): Promise<Pick<ContainerStats, 'read' | 'cpu_stats'>> {
    return sampleCpu((p) => this.counters.read(p), target);
  }

  /** A connection to the task's stdin through conmon. */
  attachStdin(id: string): StdinConnection {
    return connectStdin(this.attachSocketPath(id));
  }

  /**
   * Run `process` in the running task `id` as exec `execId`. The session is kept until the
   * process exits, so `resizeExec` can reach its terminal.
   */
  async exec(id: string, execId: string, process: Spec['process'], o: Omit<ExecProcessOptions, 'pidFile'>): Promise<{ pid: number; session: ExecSession }> {
    const processFile = join(this.taskDir(id), `exec-${execId}.json`);
    const files = { pidFile: this.execPidFile(id, execId), logFile: join(this.taskDir(id), `exec-${execId}.log`) };
    // Transient and read once by runc right away: no need for fsync.
    await writeFile(processFile, JSON.stringify(process), { mode: 0o600 });
    const flags = execStartArgs(files);
    const args = ['--root', this.runc.root, ...flags.global, 'exec', ...flags.exec, '--process', processFile, id];
    const started = await spawnExec(this.runc.binary, args, o, files, process?.args?.[0] ?? '');
    this.execs.set(execId, started.session);
    void started.session.exited.then(() => {
      this.execs.delete(execId);
      for (const f of [processFile, files.pidFile, files.logFile]) void rm(f, { force: true });
    });
    return started;
  }

  /**
   * Signal the process of a running exec and its descendants inside the container (runc's client
   * cannot forward SIGKILL). False while runc has not written its pid yet, and once the exec has ended.
   */
  async killExec(id: string, execId: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<boolean> {
    if (!this.execs.has(execId)) return false;
    const pid = Number((await readFile(this.execPidFile(id, execId), 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 0 || !this.execs.has(execId)) return false;
    // Its children too: a shell's `sleep` would otherwise outlive it inside the container.
    for (const p of [pid, ...await descendants(pid)]) {
      // One already gone (ESRCH) has nothing left to signal.
      try { process.kill(p, signal); } catch { /* gone */ }
    }
    return true;
  }

  private execPidFile(id: string, execId: string): string {
    return join(this.taskDir(id), `exec-${execId}.pid`);
  }

  /** Resize the terminal of a running exec; one that has ended (or has no TTY) has nothing to resize. */
  resizeExec(execId: string, height: number, width: number): void {
    this.execs.get(execId)?.resize(height, width);
  }

  /** Resolves when the task's init exits (immediately if it already has). */
  wait(id: string): Promise<ExitStatus> {
    return this.exits.track(id);
  }

  exitStatus(id: string): Promise<ExitStatus | undefined> {
    return this.exits.read(id);
  }

  state(id: string): Promise<RuncState | undefined> {
    return this.runc.state(id);
  }

  /** True when conmon reported that the kernel OOM-killed the container. */
  async oomKilled(id: string): Promise<boolean> {
    try { await access(join(this.taskDir(id), 'oom')); return true; } catch { return false; }
  }

  /** Whether runc or conmon still hold state for this container. */
  async hasState(id: string): Promise<boolean> {
    const here = (p: string): Promise<boolean> => access(p).then(() => true, () => false);
    return (await here(join(this.runc.root, id))) || (await here(this.taskDir(id)));
  }

  /** Forget the task: runc's state and cgroups, conmon's files. */
  async delete(id: string): Promise<void> {
    this.exits.untrack(id);
    await this.runc.delete(id, true);
    await rm(join(this.exitDir, id), { force: true });
    await rm(this.taskDir(id), { recursive: true, force: true });
    await rm(join(this.runRoot, 's', id.slice(0, 12)), { force: true });
  }

  /** Resize the container's TTY through conmon's control fifo. */
  resize(bundle: string, height: number, width: number): Promise<void> {
    return this.control(bundle, `1 ${height} ${width}\n`);
  }

  /**
   * Have conmon start a new log file: it writes a fresh file and renames it over the log's
   * path, so every byte lands in the old file or the new one (CRI-O's ReopenContainerLog).
   */
  reopenLog(bundle: string): Promise<void> {
    return this.control(bundle, '2 0 0\n');
  }

  /** One message to conmon's control fifo. */
  private async control(bundle: string, message: string): Promise<void> {
    // Non-blocking: opening a fifo nobody reads (conmon gone) would otherwise hang forever.
    const fh = await open(join(bundle, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK).catch((e: NodeJS.ErrnoException) => {
      throw new UnavailableError(`the container's monitor is not running (${e.code ?? e.message})`);
    });
    try { await fh.write(message); } finally { await fh.close(); }
  }

  private attachSocketPath(id: string): string {
    return join(this.runRoot, 's', id.slice(0, 12), 'attach');
  }

  private runtimeResolved?: string;
  /** conmon needs an absolute runtime path. */
  private async runtimePath(): Promise<string> {
    if (this.runtimeResolved) return this.runtimeResolved;
    const bin = this.runc.binary;
    if (bin.startsWith('/')) return (this.runtimeResolved = bin);
    for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
      try { await access(join(dir, bin)); return (this.runtimeResolved = join(dir, bin)); } catch { /* next */ }
    }
    return bin;
  }
}

/** Host pids below `pid`, from the kernel's per-thread children lists. */
async function descendants(pid: number): Promise<number[]> {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length && out.length < 4096) {
    const p = queue.shift()!;
    const tids = await readdir(`/proc/${p}/task`).catch(() => [] as string[]);
    for (const tid of tids) {
      const kids = (await readFile(`/proc/${p}/task/${tid}/children`, 'utf8').catch(() => '')).trim();
      for (const k of kids ? kids.split(/\s+/).map(Number) : []) { out.push(k); queue.push(k); }
    }
  }
  return out;
}
