import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../util/exec.ts';
import { releaseInit } from './exec-fifo.ts';
import { removeStopped } from './runc-cleanup.ts';
import { signalInit } from './signal.ts';
import { NotFoundError, UnavailableError } from '../errors.ts';

export interface RuncState {
  id: string;
  pid: number;
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped';
  bundle: string;
  created: string;
}

/** Thin wrapper over the runc CLI with Wharf's state root. */
export class Runc {
  constructor(readonly binary: string, readonly root: string) {}

  private args(...rest: string[]): string[] {
    return ['--root', this.root, ...rest];
  }

  async state(id: string): Promise<RuncState | undefined> {
    const r = await run(this.binary, this.args('state', id), { allowFail: true });
    if (r.code !== 0) {
      if (/does not exist|not found/i.test(r.stderr)) return undefined;
      throw new UnavailableError(`runc state ${id}: ${r.stderr.trim()}`);
    }
    return JSON.parse(r.stdout) as RuncState;
  }

  async list(): Promise<RuncState[]> {
    const r = await run(this.binary, this.args('list', '--format', 'json'), { allowFail: true });
    if (r.code !== 0) return [];
    return (JSON.parse(r.stdout || 'null') as RuncState[] | null) ?? [];
  }

  /** Let a created container run: through its exec fifo (exec-fifo.ts), or `runc start`. */
  async start(id: string, pid: number): Promise<void> {
    if (await releaseInit(join(this.root, id, 'exec.fifo'), pid)) return;
    await run(this.binary, this.args('start', id));
  }

  /**
   * Send a signal; a container that is already gone is not an error. A signal to init is
   * sent directly, after the same pid-reuse check runc makes (init's start time from
   * runc's state file against /proc), which saves a process spawn on every stop and kill.
   */
  async kill(id: string, signal: string, all = false): Promise<void> {
    if (!all && (await signalInit(join(this.root, id, 'state.json'), signal))) return;
    const r = await run(this.binary, this.args('kill', ...(all ? ['--all'] : []), id, signal), { allowFail: true });
    if (r.code !== 0 && !/not running|does not exist|process already finished|no such process/i.test(r.stderr)) {
      if (/not found/i.test(r.stderr)) throw new NotFoundError(`runc container ${id} not found`);
      throw new UnavailableError(`runc kill ${id} ${signal}: ${r.stderr.trim()}`);
    }
  }

  async pause(id: string): Promise<void> {
    await run(this.binary, this.args('pause', id));
  }

  async resume(id: string): Promise<void> {
    await run(this.binary, this.args('resume', id));
  }

  async delete(id: string, force = false): Promise<void> {
    // No state directory, nothing for runc to delete: every start clears stale state first,
    // and a process spawn per start is worth saving.
    const dir = join(this.root, id);
    if (!(await access(dir).then(() => true, () => false))) return;
    // A container that has exited (as at every teardown) is cleaned up without runc.
    if (await removeStopped(dir)) return;
    const r = await run(this.binary, this.args('delete', ...(force ? ['--force'] : []), id), { allowFail: true });
    if (r.code !== 0 && !/does not exist|not found/i.test(r.stderr)) throw new UnavailableError(`runc delete ${id}: ${r.stderr.trim()}`);
  }

  /** Pids of every process in the container, host view. */
  async ps(id: string): Promise<number[]> {
    const r = await run(this.binary, this.args('ps', '--format', 'json', id));
    return (JSON.parse(r.stdout || 'null') as number[] | null) ?? [];
  }

  /** Change cgroup limits of a running container (`docker update`). */
  async update(id: string, resources: object): Promise<void> {
    await run(this.binary, this.args('update', '--resources', '-', id), { input: JSON.stringify(resources) });
  }
}
