import path from 'node:path';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../runtime/index.ts';
import type { StackContainer, StackDetail, StackFiles, StackPlan, StackProblem, StackSummary } from '../protocol/index.ts';
import { createBody } from './create-body.ts';
import type { StackEngine } from './engine.ts';
import type { StackFolders } from './files.ts';
import * as L from './labels.ts';
import { loadProject } from './load.ts';
import { mergeLogLines, readLogLines, type LogLine } from './logs.ts';
import type { Project } from './model.ts';
import { computePlan } from './plan.ts';
import { checkStackChange, checkStackContainer, checkStackNetwork, type StackCaller } from './policy.ts';
import { applyPlan, type Progress } from './up.ts';

export interface StackServiceOptions {
  folders: StackFolders;
  engine: StackEngine;
  /** How long up waits for a dependency to become healthy or complete. */
  dependencyTimeoutMs?: number;
}

/** A compose file that does not load: the problems, each at its line. */
export class StackInvalidError extends InvalidArgumentError {
  constructor(readonly problems: StackProblem[]) {
    const p = problems[0]!;
    super(`${p.file === 'env' ? '.env' : 'compose file'} line ${p.line}: ${p.message}`, { field: p.path || p.file });
  }
}

/**
 * Compose stacks: files under the data root are the source of truth; what runs is found by
 * compose's labels. Every change is planned first; one change per stack at a time.
 */
export class StackService {
  private readonly busy = new Set<string>();
  private readonly timeoutMs: number;

  constructor(private readonly opts: StackServiceOptions) {
    this.timeoutMs = opts.dependencyTimeoutMs ?? 300_000;
  }

  async list(): Promise<StackSummary[]> {
    const [names, containers] = await Promise.all([this.opts.folders.names(), this.opts.engine.containers()]);
    const projects = new Set([...names, ...containers.map((c) => c.Labels[L.PROJECT]!).filter(Boolean)]);
    return [...projects].sort().map((name) => {
      const mine = containers.filter((c) => c.Labels[L.PROJECT] === name);
      const managed = names.includes(name);
      return {
        name, managed, external: !managed,
        services: [...new Set(mine.map((c) => c.Labels[L.SERVICE] ?? ''))].sort(),
        running: mine.filter((c) => c.State === 'running').length,
        containers: mine.length,
      };
    });
  }

  async get(name: string): Promise<StackDetail> {
    const summary = (await this.list()).find((s) => s.name === name);
    if (!summary) throw new NotFoundError(`no stack named ${name}`);
    const files = summary.managed ? await this.opts.folders.read(name) : undefined;
    const problems = files ? (await this.load(name, files)).problems : [];
    const list = await this.opts.engine.containers(name);
    const containerList: StackContainer[] = await Promise.all(list.map(async (c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      service: c.Labels[L.SERVICE] ?? '',
      number: Number(c.Labels[L.NUMBER] ?? 0),
      state: c.State,
      status: c.Status,
      health: (await this.opts.engine.inspect(c.Id).catch(() => undefined))?.State.Health?.Status,
      image: c.Image,
    })));
    containerList.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.number - b.number));
    return { ...summary, files, problems, containerList };
  }

  /** The problems of files not yet saved (the editor's check). */
  async check(name: string, files: StackFiles): Promise<StackProblem[]> {
    return (await this.load(name, files)).problems;
  }

  /** Writes a stack's files, only when they load: a bad file never reaches the disk. */
  async save(name: string, files: StackFiles, caller: StackCaller): Promise<void> {
    checkStackChange(caller.role);
    await this.project(name, files);
    await this.opts.folders.write(name, files);
  }

  async plan(name: string, caller: StackCaller, replicas: Record<string, number> = {}): Promise<StackPlan> {
    const project = await this.project(name, await this.opts.folders.read(name));
    await this.checkPolicy(project, caller);
    return this.computePlan(project, replicas);
  }

  /** Applies the plan, refusing when it is no longer the one the user confirmed (`digest`). */
  up(name: string, caller: StackCaller, digest: string | undefined, progress: Progress, scale?: { service: string; replicas: number }): Promise<void> {
    checkStackChange(caller.role);
    return this.exclusive(name, async () => {
      const project = await this.project(name, await this.opts.folders.read(name));
      if (scale && !project.services[scale.service]) throw new NotFoundError(`service ${scale.service} is not in stack ${name}`);
      await this.checkPolicy(project, caller);
      const plan = await this.computePlan(project, scale ? { [scale.service]: scale.replicas } : {});
      if (digest && digest !== plan.digest) throw new ConflictError('the stack changed since this plan was shown: review the new plan');
      await applyPlan(this.opts.engine, project, plan, progress, { dependencyTimeoutMs: this.timeoutMs, services: scale ? new Set([scale.service]) : undefined });
    });
  }

  /** Removes the containers and the project's networks; its volumes only when asked. */
  down(name: string, caller: StackCaller, volumes: boolean, progress: Progress): Promise<void> {
    checkStackChange(caller.role);
    return this.exclusive(name, async () => {
      const engine = this.opts.engine;
      for (const c of await engine.containers(name)) {
        progress({ kind: 'remove', target: (c.Names[0] ?? c.Id).replace(/^\//, ''), message: 'removing' });
        await engine.remove(c.Id);
      }
      for (const n of await engine.projectNetworks(name)) {
        progress({ kind: 'remove', target: n, message: 'removing network' });
        await engine.removeNetwork(n);
      }
      if (volumes) {
        for (const v of await engine.projectVolumes(name)) {
          progress({ kind: 'remove', target: v, message: 'removing volume' });
          await engine.removeVolume(v);
        }
      }
      progress({ kind: 'done', target: name, message: 'down' });
    });
  }

  /** start, stop or restart every container of the stack. */
  lifecycle(name: string, caller: StackCaller, action: 'start' | 'stop' | 'restart'): Promise<void> {
    checkStackChange(caller.role);
    return this.exclusive(name, async () => {
      const list = await this.opts.engine.containers(name);
      if (list.length === 0) throw new NotFoundError(`stack ${name} has no containers`);
      const order = [...list].sort((a, b) => Number(a.Labels[L.NUMBER] ?? 0) - Number(b.Labels[L.NUMBER] ?? 0));
      for (const c of action === 'stop' ? order.reverse() : order) {
        if (action === 'start' && c.State === 'running') continue;
        if (action === 'stop' && c.State !== 'running') continue;
        await this.opts.engine[action](c.Id);
      }
    });
  }

  /** Down, then the stack's folder removed (an external stack has none). */
  async remove(name: string, caller: StackCaller, volumes: boolean): Promise<void> {
    await this.down(name, caller, volumes, () => {});
    await this.opts.folders.remove(name);
  }

  /** The last `tail` lines of every container (or one service's), merged in time order. */
  async logs(name: string, service: string | undefined, tail: number): Promise<LogLine[]> {
    const list = (await this.opts.engine.containers(name)).filter((c) => !service || c.Labels[L.SERVICE] === service);
    const lines = await Promise.all(list.map(async (c) => {
      const tty = (await this.opts.engine.inspect(c.Id) as { Config?: { Tty?: boolean } }).Config?.Tty ?? false;
      return readLogLines(await this.opts.engine.logs(c.Id, tail), tty, { service: c.Labels[L.SERVICE] ?? '', container: (c.Names[0] ?? '').replace(/^\//, '') });
    }));
    return mergeLogLines(lines);
  }

  private async computePlan(project: Project, replicas: Record<string, number>): Promise<StackPlan> {
    const engine = this.opts.engine;
    const images = new Set<string>();
    for (const s of Object.values(project.services)) if (s.spec.image && await engine.imagePresent(s.spec.image)) images.add(s.spec.image);
    const [containers, networks, volumes] = await Promise.all([engine.existing(project.name), engine.networkNames(), engine.volumeNames()]);
    return computePlan(project, { containers, networks, volumes, images }, replicas);
  }

  private async checkPolicy(project: Project, caller: StackCaller): Promise<void> {
    for (const [key, spec] of Object.entries(project.networks)) await checkStackNetwork(caller, key, spec.driver ?? 'bridge');
    for (const [service, { spec }] of Object.entries(project.services)) {
      await checkStackContainer(caller, service, createBody(project, service, 1).body, spec.build && { context: spec.build.context, stackDir: project.workingDir });
    }
  }

  private async load(name: string, files: StackFiles) {
    const dir = this.opts.folders.dir(name);
    const configFile = (await this.opts.folders.composeFile(name)) ?? path.join(dir, 'compose.yaml');
    return loadProject(files, { name, workingDir: dir, configFile, readFile: (f) => this.opts.folders.readInside(name, path.relative(dir, f)) });
  }

  private async project(name: string, files: StackFiles): Promise<Project> {
    const loaded = await this.load(name, files);
    if (!loaded.project) throw new StackInvalidError(loaded.problems);
    return loaded.project;
  }

  private async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (this.busy.has(name)) throw new ConflictError(`stack ${name} is being changed: wait for that to finish`);
    this.busy.add(name);
    try {
      return await fn();
    } finally {
      this.busy.delete(name);
    }
  }
}
