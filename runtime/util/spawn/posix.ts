import { close } from 'node:fs';
import { Socket } from 'node:net';
import { firstLine, drain } from './streams.ts';
import { exitCode, type Exit, type LiveProcess, type SpawnFailure, type SpawnRequest, type Spawned, type StartRequest, type StdioPipes } from './types.ts';
import { Reaper } from './reaper.ts';
import { CommandPath } from './command-path.ts';

/** The addon's calls (native/posix-spawn/spawn.c). */
export interface PosixSpawnAddon {
  /** posix_spawn of `file` (a path) on a pool thread; child fd i is `fds[i]` (-1: /dev/null). Rejects with an Error with its errno `code`. */
  spawn(file: string, argv: string[], envp: string[], cwd: string | null, fds: number[], setsid: boolean): Promise<number>;
  /** A pipe, both ends close-on-exec: [read, write]. */
  pipe(): [number, number];
  /** waitpid(pid, WNOHANG): null while it runs, else how it ended. */
  reap(pid: number): Exit | null;
}

const closeFd = (fd: number): void => close(fd, () => undefined);
/** A pipe's end in the engine, as a stream. */
const reading = (fd: number): Socket => new Socket({ fd, readable: true, writable: false });
const writing = (fd: number): Socket => new Socket({ fd, readable: false, writable: true }).on('error', () => undefined);

/**
 * Helper processes started with posix_spawn (vfork and exec: the engine's memory is not
 * copied, whatever its size) on a pool thread, so the event loop never waits for an exec;
 * their output read through pipes and their exits reaped here.
 */
export class PosixSpawner {
  private readonly reaper: Reaper;
  private readonly paths = new CommandPath();

  constructor(private readonly addon: PosixSpawnAddon) {
    this.reaper = new Reaper((pid) => addon.reap(pid));
  }

  async spawn(r: SpawnRequest): Promise<Spawned> {
    if (r.syncLine) return this.untilSyncLine(r);
    const data = r.input !== undefined && r.input.length > 0 ? r.input : undefined;
    const p = await this.start(r, { stdin: data !== undefined, output: true });
    if ('error' in p) return p;
    p.stdin?.end(data);
    const [stdout, stderr, exit] = await Promise.all([drain(p.stdout!), drain(p.stderr!), p.exited]);
    return { code: exitCode(exit.code, exit.signal), stdout, stderr };
  }

  /** Starts a process with pipes for its stdin (or /dev/null) and its output (or /dev/null). */
  async start(r: StartRequest, stdio: StdioPipes): Promise<LiveProcess | SpawnFailure> {
    const made = this.pipes(r.file, Number(stdio.stdin) + 2 * Number(stdio.output));
    if (!Array.isArray(made)) return made;
    const input = stdio.stdin ? made.shift() : undefined;
    const [out, err] = made;
    const ours = [input?.[1], out?.[0], err?.[0]].filter((fd) => fd !== undefined);
    const pid = await this.exec(r, [input?.[0] ?? -1, out?.[1] ?? -1, err?.[1] ?? -1], ours, false);
    if (typeof pid !== 'number') return pid;
    return {
      pid,
      stdin: input ? writing(input[1]) : null,
      stdout: out ? reading(out[0]) : null,
      stderr: err ? reading(err[0]) : null,
      exited: this.reaper.exit(pid),
    };
  }

  /** Starts the process with `fds` as its descriptors 0, 1, 2…, then closes those in the engine. */
  private async exec(r: Omit<SpawnRequest, 'input'>, fds: number[], ours: number[], setsid: boolean): Promise<number | SpawnFailure> {
    try {
      const path = await this.paths.resolve(r.file, r.env.PATH);
      if (!path) throw Object.assign(new Error('not found'), { code: 'ENOENT' });
      const envp = Object.entries(r.env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));
      // Awaited here: the descriptors given to the child are closed (below) only once it has them.
      return await this.addon.spawn(path, [r.file, ...r.args], envp, r.cwd ?? null, fds, setsid);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // The binary may have gone since it was looked up: look again next time.
      if (err.code === 'ENOENT') this.paths.forget(r.file);
      ours.forEach(closeFd);
      return { error: { message: `spawn ${r.file} ${err.code ?? err.message}`, code: err.code } };
    } finally {
      fds.filter((fd) => fd >= 0).forEach(closeFd);
    }
  }

  /** `n` pipes, or why they could not be made (none is left open then). */
  private pipes(file: string, n: number): [number, number][] | SpawnFailure {
    const made: [number, number][] = [];
    try {
      while (made.length < n) made.push(this.addon.pipe());
      return made;
    } catch (e) {
      made.flat().forEach(closeFd);
      const code = (e as NodeJS.ErrnoException).code;
      return { error: { message: `spawn ${file} ${code ?? String(e)}`, code } };
    }
  }

  private async untilSyncLine(r: SpawnRequest): Promise<Spawned> {
    const made = this.pipes(r.file, 2);
    if (!Array.isArray(made)) return made;
    const [err, sync] = made as [[number, number], [number, number]];
    const pid = await this.exec(r, [-1, -1, err[1], sync[1]], [err[0], sync[0]], true);
    if (typeof pid !== 'number') return pid;
    // The monitor forks itself into the background: its first process exits soon, and is reaped.
    void this.reaper.exit(pid, false);
    return { code: 0, stdout: '', ...(await firstLine(reading(sync[0]), reading(err[0]))) };
  }
}
