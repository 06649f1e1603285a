import { ConflictError, InvalidArgumentError, NotModifiedError } from '../errors.ts';
import { NAME_RE } from '../util/ids.ts';
import type { LogChunk, LogReadOptions } from '../tasks/logs/index.ts';
import type { ContainerContext, Row } from './context.ts';
import { createContainer, type CreateRequest } from './create.ts';
import { resolveContainer, findContainer } from './resolve.ts';
import { killContainer, parseSignal, pauseContainer, stopContainer, tornDown, unpauseContainer, waitContainer, type WaitCondition } from './stop.ts';
import { removeContainer } from './remove.ts';
import { linkedChild, removeLink } from './links.ts';
import { reconcileContainers } from './reconcile.ts';
import { psOutput } from './top.ts';
import { ExecManager, type ExecConfig, type ExecInstance, type Execs } from './exec.ts';
import { resolveMounts, type VolumeResolver } from './mounts.ts';
import { RestartMonitor } from './restart-monitor.ts';
import { attachContainer, type AttachOptions, type AttachSession } from './attach.ts';
import type { HostConfig } from './types.ts';
import { kernelView, type KernelView } from './kernel-view.ts';
import { dirname, join } from 'node:path';

/** The engine's container facade: every operation takes a name, id or id prefix. */
export class ContainerService {
  private readonly execs: ExecManager;
  private readonly monitor: RestartMonitor;

  constructor(private readonly ctx: ContainerContext) {
    this.execs = new ExecManager(ctx);
    this.monitor = new RestartMonitor(ctx);
  }

  /** Exec instances and their sessions. */
  get exec(): Execs {
    return this.execs;
  }

  /** Boot recovery: pick up running tasks, record exits, restart by policy. */
  async recover(): Promise<void> {
    await reconcileContainers(this.ctx, this.monitor);
    for (const row of this.ctx.meta.all()) {
      // Output written while the engine was down is converted now; running ones keep being converted.
      if (row.state.Running) this.ctx.logs.watch(row.id, row.record);
      else void this.ctx.logs.catchUp(row.id, row.record).catch(() => undefined);
    }
  }

  /** Stop restarting containers (the engine is closing); running ones keep running. */
  async close(): Promise<void> {
    await this.monitor.close();
    await this.ctx.logs.close();
  }

  create(req: CreateRequest): Promise<Row> {
    return createContainer(this.ctx, req);
  }

  get(nameOrId: string): Row {
    return resolveContainer(this.ctx, nameOrId);
  }

  find(nameOrId: string): Row | undefined {
    return findContainer(this.ctx, nameOrId);
  }

  list(): Row[] {
    return this.ctx.meta.all();
  }

  async start(nameOrId: string): Promise<void> {
    const { id } = this.get(nameOrId);
    await this.ctx.lock.with(id, async () => {
      const row = this.get(id);
      if (row.state.Running) throw new NotModifiedError(`container ${id} is already running`);
      await this.monitor.launch(id, 'manual');
    });
  }

  async stop(nameOrId: string, timeoutSec?: number, signal?: string): Promise<void> {
    const { id } = this.get(nameOrId);
    this.monitor.cancel(id);
    // Between two runs, the stop is taken under the lock a pending restart takes, so one of them
    // wins cleanly; a running task is stopped outside it, since recording its exit needs it.
    const wasRestarting = await this.ctx.lock.with(id, async () => {
      const row = this.get(id);
      if (!row.state.Restarting || row.state.Running) return false;
      await stopContainer(this.ctx, id, timeoutSec, signal);
      return true;
    });
    if (!wasRestarting) await stopContainer(this.ctx, id, timeoutSec, signal);
  }

  async kill(nameOrId: string, signal?: string): Promise<void> {
    // The signal is checked before the container is looked up, as dockerd does.
    const sig = parseSignal(signal, 'SIGKILL');
    await killContainer(this.ctx, this.get(nameOrId).id, sig, nameOrId);
  }

  async restart(nameOrId: string, timeoutSec?: number): Promise<void> {
    const row = this.get(nameOrId);
    if (row.state.Running || row.state.Restarting) await this.stop(row.id, timeoutSec);
    await this.start(row.id);
    this.ctx.events.publish('container', 'restart', row.id, this.ctx.eventAttrs(this.get(row.id)));
  }

  async pause(nameOrId: string): Promise<void> {
    const { id } = this.get(nameOrId);
    await this.ctx.lock.with(id, () => pauseContainer(this.ctx, id));
  }

  async unpause(nameOrId: string): Promise<void> {
    const { id } = this.get(nameOrId);
    await this.ctx.lock.with(id, () => unpauseContainer(this.ctx, id));
  }

  wait(nameOrId: string, condition?: WaitCondition): Promise<{ StatusCode: number; Error?: { Message: string } }> {
    return waitContainer(this.ctx, this.get(nameOrId).id, condition);
  }

  async remove(nameOrId: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const { id } = this.get(nameOrId);
    await removeContainer(this.ctx, id, { force: !!opts.force, volumes: !!opts.volumes });
    this.monitor.cancel(id);
    this.execs.dropContainer(id);
  }

  /** The child container a parent's legacy link `alias` names (`parent/alias` in dockerd's name space). */
  linkedChild(parent: string, alias: string): string {
    return linkedChild(this.ctx, parent, alias);
  }

  removeLink(parent: string, alias: string): Promise<void> {
    return removeLink(this.ctx, parent, alias);
  }

  async rename(nameOrId: string, newName: string): Promise<void> {
    const name = newName.replace(/^\//, '');
    if (!NAME_RE.test(name)) throw new InvalidArgumentError(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    const { id } = this.get(nameOrId);
    await this.ctx.lock.with(id, async () => {
      const row = this.get(id);
      if (row.name === name) throw new InvalidArgumentError(`Renaming a container with the same name as its current name`);
      const taken = this.ctx.meta.byName(name);
      if (taken) throw new ConflictError(`Conflict. The container name "/${name}" is already in use by container "${taken.id}". You have to remove (or rename) that container to be able to reuse that name.`);
      this.ctx.meta.setRecord(id, name, { ...row.record, Name: name });
      this.ctx.events.publish('container', 'rename', id, this.ctx.eventAttrs(this.get(id), { oldName: `/${row.name}` }));
    });
  }

  /** The container's log; with `follow`, stops once the container has exited and the log is drained. */
  logs(nameOrId: string, opts: Omit<LogReadOptions, 'exited' | 'isRunning'>, signal?: AbortSignal): AsyncIterable<LogChunk> {
    const row = this.get(nameOrId);
    // Refused before the caller commits to a response, as dockerd refuses `none`.
    this.ctx.logs.checkReadable(row.record);
    return this.followLogs(row, opts, signal);
  }

  private async *followLogs(row: Row, opts: Omit<LogReadOptions, 'exited' | 'isRunning'>, signal?: AbortSignal): AsyncGenerator<LogChunk> {
    let onExit: (() => void) | undefined;
    const exited = row.state.Running || row.state.Restarting
      ? new Promise<void>((r) => { onExit = r; this.ctx.signals.once(`exit:${row.id}`, onExit); })
      : Promise.resolve();
    try {
      yield* this.ctx.logs.read(row.id, row.record, { ...opts, exited, isRunning: () => !!this.find(row.id)?.state.Running }, signal);
    } finally {
      // A reader that leaves early must not leave its exit listener behind.
      if (onExit) this.ctx.signals.off(`exit:${row.id}`, onExit);
    }
  }

  /** Resize the TTY of the container's main process. */
  async resize(nameOrId: string, height: number, width: number): Promise<void> {
    const row = this.get(nameOrId);
    if (!row.state.Running) throw new ConflictError(`Container ${row.id} is not running`);
    await this.ctx.tasks.resize(this.ctx.dir(row.id), height, width);
  }

  /** Docker's exec create: the container must be running and not paused. */
  createExec(nameOrId: string, config: ExecConfig): ExecInstance {
    return this.execs.create(this.get(nameOrId).id, config);
  }

  /** Host pids of the container's processes. */
  async pids(nameOrId: string): Promise<number[]> {
    const row = this.get(nameOrId);
    if (!row.state.Running) throw new ConflictError(`Container ${row.id} is not running`);
    return this.ctx.tasks.pids(row.id);
  }

  /** `docker top`: the container's pids and the host's `ps <psArgs>` output over them. */
  async top(nameOrId: string, psArgs: readonly string[]): Promise<{ pids: number[]; output: string }> {
    const pids = await this.pids(nameOrId);
    return { pids, output: await psOutput(psArgs, pids) };
  }

  /** Bytes in the container's writable layer (`docker ps -s`). */
  sizeRw(row: Row): Promise<number> {
    return this.ctx.snapshots.usage(row.record.SnapshotKey);
  }

  /** Attach to the container's stdio: output followed from its log, input into conmon. */
  attach(nameOrId: string, opts: AttachOptions): AttachSession {
    return attachContainer(this.ctx, this.get(nameOrId), opts);
  }

  /**
   * Docker's wait conditions, with the listener registered before this returns (the API sends
   * its headers only then). `removed` reports the exit code of the last run, as `run --rm` needs.
   */
  waitUntil(nameOrId: string, condition: WaitCondition, signal?: AbortSignal): Promise<{ StatusCode: number; Error?: { Message: string } }> {
    const { id, state } = this.get(nameOrId);
    if (condition === 'not-running' && !state.Running && !state.Restarting) return tornDown(this.ctx, id).then(() => ({ StatusCode: state.ExitCode }));
    let last = { code: state.ExitCode, error: state.Error };
    const onExit = (): void => {
      const s = this.ctx.meta.get(id)?.state;
      if (s) last = { code: s.ExitCode, error: s.Error };
    };
    const event = condition === 'removed' ? `removed:${id}` : `exit:${id}`;
    this.ctx.signals.on(`exit:${id}`, onExit);
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        this.ctx.signals.off(`exit:${id}`, onExit);
        this.ctx.signals.off(event, onEvent);
        this.ctx.signals.off(`removed:${id}`, onEvent);
        signal?.removeEventListener('abort', onAbort);
      };
      const onEvent = (): void => {
        onExit();
        finish();
        resolve({ StatusCode: last.code, ...(last.error ? { Error: { Message: last.error } } : {}) });
      };
      const onAbort = (): void => { finish(); reject(signal!.reason); };
      this.ctx.signals.on(event, onEvent);
      // As dockerd, removal ends every wait: a container that never ran again reports its last exit code.
      if (event !== `removed:${id}`) this.ctx.signals.on(`removed:${id}`, onEvent);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Where the container's files live, as `docker inspect` reports them. */
  paths(nameOrId: string): { dir: string; rootfs: string; logPath: string; upperDir: string; workDir: string; lowerDirs: string[] } {
    const row = this.get(nameOrId);
    const upperDir = this.ctx.snapshots.upperDir(row.record.SnapshotKey);
    return {
      dir: this.ctx.dir(row.id),
      rootfs: this.ctx.rootfs(row.id),
      logPath: this.ctx.logs.logPath(row.id, row.record),
      upperDir,
      workDir: join(dirname(upperDir), 'work'),
      lowerDirs: this.ctx.snapshots.lowerDirs(row.record.SnapshotKey),
    };
  }

  /** The kernel's view of the container: namespaces, veth, NAT, cgroup, overlay and OCI spec. */
  inspectKernel(nameOrId: string): Promise<KernelView> {
    return kernelView(this.ctx, this.get(nameOrId));
  }

  /** Validate binds, mounts and tmpfs of a host config at create time, touching nothing. */
  async checkMounts(h: HostConfig): Promise<void> {
    const dryRun: VolumeResolver = { mountpoint: async (name) => `/${name}`, anonymous: async () => '/', removeAnonymousOf: async () => [] };
    await resolveMounts(h, '/', dryRun);
  }
}
