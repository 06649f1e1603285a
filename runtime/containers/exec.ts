import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors.ts';
import { newId } from '../util/ids.ts';
import { mergeEnv } from '../oci/env.ts';
import { resolveUser } from '../oci/user.ts';
import { allCapabilities } from '../oci/caps.ts';
import { hostCapabilities } from '../oci/host.ts';
import type { Spec } from '../oci/types.ts';
import type { ExecSession } from '../tasks/exec.ts';
import type { ContainerContext } from './context.ts';

export type { ExecSession } from '../tasks/exec.ts';

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
  /** `[height, width]` of the terminal to start with (Docker's ConsoleSize). */
  ConsoleSize?: [number, number];
  /** The key sequence that detaches a client from the exec's TTY (Docker's spelling, checked by the API). */
  DetachKeys?: string;
}

export interface ExecInstance {
  ID: string;
  ContainerID: string;
  Config: ExecConfig;
  Running: boolean;
  ExitCode: number | null;
  Pid: number;
}

export interface ExecStartOptions { detach?: boolean; height?: number; width?: number }

/** Docker's exec instances: created against a running container, started once, inspected after. */
export interface Execs {
  /** The instance; NotFound when there is none with this id. */
  get(id: string): ExecInstance;
  /** Ids of the container's exec instances (inspect's ExecIDs). */
  ofContainer(containerId: string): string[];
  /** Run it: the process goes through the task service; with a TTY, at the console size given here or at create. */
  start(id: string, opts?: ExecStartOptions): Promise<ExecSession>;
  /** Resize the TTY of a running exec; one that has ended has nothing to resize. */
  resize(id: string, height: number, width: number): void;
}

/** The records of exec instances; their processes are the task service's. */
export class ExecManager implements Execs {
  private readonly execs = new Map<string, ExecInstance>();

  constructor(private readonly ctx: ContainerContext) {}

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

  ofContainer(containerId: string): string[] {
    return [...this.execs.values()].filter((e) => e.ContainerID === containerId).map((e) => e.ID);
  }

  dropContainer(containerId: string): void {
    for (const id of this.ofContainer(containerId)) this.execs.delete(id);
  }

  async start(id: string, opts: ExecStartOptions = {}): Promise<ExecSession> {
    const inst = this.get(id);
    if (inst.Running || inst.ExitCode !== null) throw new ConflictError(`Exec ${id} has already been started`);
    const row = this.ctx.meta.get(inst.ContainerID);
    if (!row?.state.Running) throw new ConflictError(`Container ${inst.ContainerID} is not running`);
    inst.Running = true;
    const [height, width] = [opts.height ?? inst.Config.ConsoleSize?.[0], opts.width ?? inst.Config.ConsoleSize?.[1]];
    let started: Awaited<ReturnType<ContainerContext['tasks']['exec']>>;
    try {
      started = await this.ctx.tasks.exec(inst.ContainerID, id, await this.processSpec(inst), { tty: !!inst.Config.Tty, detach: !!opts.detach, height, width });
    } catch (e) {
      inst.Running = false;
      throw e;
    }
    inst.Pid = started.pid;
    // A detached exec that could not start is an error of the request, as dockerd answers it.
    const startError = opts.detach ? await started.session.startError : undefined;
    if (startError !== undefined) {
      inst.Pid = 0;
      inst.ExitCode = await started.session.exited;
      inst.Running = false;
      throw new InvalidArgumentError(`OCI runtime exec failed: ${startError}: unknown`);
    }
    void started.session.exited.then((code) => {
      inst.Running = false;
      inst.ExitCode = code;
      this.ctx.events.publish('container', 'exec_die', inst.ContainerID, { ...this.ctx.eventAttrs(row), execID: id, exitCode: String(code) });
    });
    this.ctx.events.publish('container', `exec_start: ${inst.Config.Cmd.join(' ')}`, inst.ContainerID, { ...this.ctx.eventAttrs(row), execID: id });
    return started.session;
  }

  resize(id: string, height: number, width: number): void {
    this.ctx.tasks.resizeExec(this.get(id).ID, height, width);
  }

  /** The container's process spec with the exec's command, env, user and cwd. */
  private async processSpec(inst: ExecInstance): Promise<Spec['process']> {
    const spec = JSON.parse(await readFile(join(this.ctx.dir(inst.ContainerID), 'config.json'), 'utf8')) as Spec;
    const base = spec.process!;
    const c = inst.Config;
    const env = mergeEnv(base.env ?? [], c.Env ?? []);
    if (c.Tty && !env.some((e) => e.startsWith('TERM='))) env.push('TERM=xterm');
    const groupAdd = this.ctx.meta.get(inst.ContainerID)?.record.HostConfig.GroupAdd ?? [];
    const user = c.User ? await resolveUser(c.User, spec.root!.path, groupAdd) : base.user;
    const all = (await hostCapabilities()) ?? allCapabilities();
    const caps = c.Privileged ? { bounding: all, effective: all, permitted: all } : base.capabilities;
    return { ...base, terminal: !!c.Tty, args: c.Cmd, env, cwd: c.WorkingDir || base.cwd, user, capabilities: caps };
  }
}
