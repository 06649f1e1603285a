import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import * as pty from 'node-pty';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors.ts';
import { newId } from '../util/ids.ts';
import { mergeEnv } from '../oci/env.ts';
import { resolveUser } from '../oci/user.ts';
import { allCapabilities } from '../oci/caps.ts';
import { hostCapabilities } from '../oci/host.ts';
import type { Spec } from '../oci/types.ts';
import type { ContainerContext } from './context.ts';

export interface ExecConfig {
  Cmd: string[];
  Env?: string[];
  User?: string;
  WorkingDir?: string;
  Tty?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Privileged?: boolean;
}

export interface ExecInstance {
  ID: string;
  ContainerID: string;
  Config: ExecConfig;
  Running: boolean;
  ExitCode: number | null;
  Pid: number;
}

/** A started exec: its stdio (one merged stream with a TTY) and its exit. */
export interface ExecSession {
  stdin: Writable | null;
  stdout: Readable;
  stderr: Readable | null;
  resize(height: number, width: number): void;
  exited: Promise<number>;
}

/**
 * Processes run inside a running container with `runc exec`. With a TTY, runc runs in the
 * foreground on a pseudo-terminal we own (node-pty), so resizing our side resizes theirs.
 */
export class ExecManager {
  private readonly execs = new Map<string, ExecInstance>();

  constructor(private readonly ctx: ContainerContext, private readonly runRoot: string) {}

  create(containerId: string, config: ExecConfig): ExecInstance {
    const row = this.ctx.meta.get(containerId)!;
    if (!row.state.Running) throw new ConflictError(`Container ${containerId} is not running`);
    if (row.state.Paused) throw new ConflictError(`Container ${containerId} is paused, unpause the container before exec`);
    if (!Array.isArray(config.Cmd) || config.Cmd.length === 0) throw new InvalidArgumentError('No exec command specified');
    const inst: ExecInstance = { ID: newId(), ContainerID: containerId, Config: config, Running: false, ExitCode: null, Pid: 0 };
    this.execs.set(inst.ID, inst);
    return inst;
  }

  get(id: string): ExecInstance {
    const e = this.execs.get(id);
    if (!e) throw new NotFoundError(`No such exec instance: ${id}`);
    return e;
  }

  forContainer(containerId: string): ExecInstance[] {
    return [...this.execs.values()].filter((e) => e.ContainerID === containerId);
  }

  dropContainer(containerId: string): void {
    for (const e of this.forContainer(containerId)) this.execs.delete(e.ID);
  }

  async start(id: string, opts: { detach?: boolean; height?: number; width?: number } = {}): Promise<ExecSession> {
    const inst = this.get(id);
    if (inst.Running || inst.ExitCode !== null) throw new ConflictError(`Exec ${id} has already been started`);
    const row = this.ctx.meta.get(inst.ContainerID);
    if (!row?.state.Running) throw new ConflictError(`Container ${inst.ContainerID} is not running`);
    const processFile = join(this.runRoot, 'tasks', inst.ContainerID, `exec-${id}.json`);
    // Transient and read once by runc right away: no need for fsync.
    await writeFile(processFile, JSON.stringify(await this.processSpec(inst)), { mode: 0o600 });
    const args = ['--root', this.ctx.tasks.runc.root, 'exec', '--process', processFile, inst.ContainerID];
    inst.Running = true;
    const session = inst.Config.Tty && !opts.detach ? this.startTTY(inst, args, opts) : this.startPipes(inst, args, !!opts.detach);
    void session.exited.then((code) => {
      inst.Running = false;
      inst.ExitCode = code;
      void rm(processFile, { force: true });
      this.ctx.events.publish('container', 'exec_die', inst.ContainerID, { ...this.ctx.eventAttrs(row), execID: id, exitCode: String(code) });
    });
    this.ctx.events.publish('container', `exec_start: ${inst.Config.Cmd.join(' ')}`, inst.ContainerID, { ...this.ctx.eventAttrs(row), execID: id });
    return session;
  }

  private startPipes(inst: ExecInstance, args: string[], detach: boolean): ExecSession {
    const child = spawn(this.ctx.tasks.runc.binary, args, { stdio: detach ? 'ignore' : ['pipe', 'pipe', 'pipe'] });
    inst.Pid = child.pid ?? 0;
    const exited = new Promise<number>((resolve) => {
      child.on('error', () => resolve(126));
      child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + (signalNumber(signal) ?? 9) : 1)));
    });
    if (detach) return { stdin: null, stdout: emptyStream(), stderr: null, resize: () => undefined, exited };
    child.stdin!.on('error', () => undefined);
    return { stdin: child.stdin!, stdout: child.stdout!, stderr: child.stderr!, resize: () => undefined, exited };
  }

  private startTTY(inst: ExecInstance, args: string[], opts: { height?: number; width?: number }): ExecSession {
    const term = pty.spawn(this.ctx.tasks.runc.binary, args, { name: 'xterm', cols: opts.width || 80, rows: opts.height || 24, encoding: null as unknown as string });
    inst.Pid = term.pid;
    const stdout = new PassThrough();
    term.onData((d: string | Buffer) => stdout.write(typeof d === 'string' ? Buffer.from(d) : d));
    const stdin = new PassThrough();
    stdin.on('data', (d: Buffer) => term.write(d as unknown as string));
    const exited = new Promise<number>((resolve) => term.onExit(({ exitCode, signal }) => {
      stdout.end();
      resolve(signal ? 128 + signal : exitCode);
    }));
    return { stdin, stdout, stderr: null, resize: (h, w) => { if (h > 0 && w > 0) term.resize(w, h); }, exited };
  }

  /** The container's process spec with the exec's command, env, user and cwd. */
  private async processSpec(inst: ExecInstance): Promise<Spec['process']> {
    const spec = JSON.parse(await readFile(join(this.ctx.dir(inst.ContainerID), 'config.json'), 'utf8')) as Spec;
    const base = spec.process!;
    const c = inst.Config;
    const env = mergeEnv(base.env ?? [], c.Env ?? []);
    if (c.Tty && !env.some((e) => e.startsWith('TERM='))) env.push('TERM=xterm');
    const user = c.User ? await resolveUser(c.User, spec.root!.path) : base.user;
    const all = (await hostCapabilities()) ?? allCapabilities();
    const caps = c.Privileged ? { bounding: all, effective: all, permitted: all } : base.capabilities;
    return { ...base, terminal: !!c.Tty, args: c.Cmd, env, cwd: c.WorkingDir || base.cwd, user, capabilities: caps };
  }
}

function emptyStream(): Readable {
  const p = new PassThrough();
  p.end();
  return p;
}

function signalNumber(sig: NodeJS.Signals): number | undefined {
  return constants.signals[sig];
}
