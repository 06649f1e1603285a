import { constants } from 'node:fs';
import { access, mkdir, open, rm } from 'node:fs/promises';
import { UnavailableError } from '../errors.ts';
import { join } from 'node:path';
import { Runc, type RuncState } from './runc.ts';
import { startConmon } from './conmon.ts';
import { ExitWatcher, type ExitStatus } from './exit-watch.ts';

export interface TaskPaths { bundle: string; logPath: string }

export interface CreateTaskOptions extends TaskPaths { name: string; terminal: boolean; stdin: boolean; stdinOnce: boolean }

/**
 * The live process of a container: runc under one conmon each. Tasks outlive the engine
 * process; everything needed to find them again lives under `runRoot`.
 */
export class TaskService {
  readonly runc: Runc;
  private readonly exits: ExitWatcher;
  private readonly exitDir: string;

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
      id, cuuid: id.slice(0, 12), name: o.name, bundle: o.bundle, logPath: o.logPath,
      pidFile: join(dir, 'pid'), conmonPidFile: join(dir, 'conmon.pid'),
      exitDir: this.exitDir, persistDir: dir, socketDir: join(this.runRoot, 's'),
      terminal: o.terminal, stdin: o.stdin, leaveStdinOpen: o.stdin && !o.stdinOnce,
    });
  }

  async start(id: string): Promise<ExitStatus | undefined> {
    await this.runc.start(id);
    return undefined;
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
  async resize(bundle: string, height: number, width: number): Promise<void> {
    // Non-blocking: opening a fifo nobody reads (conmon gone) would otherwise hang forever.
    const fh = await open(join(bundle, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK).catch((e: NodeJS.ErrnoException) => {
      throw new UnavailableError(`the container's monitor is not running (${e.code ?? e.message})`);
    });
    try { await fh.write(`1 ${height} ${width}\n`); } finally { await fh.close(); }
  }

  attachSocketPath(id: string): string {
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
