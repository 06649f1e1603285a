import { posix } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';
import type { Rlimit, Spec, SpecOpt } from './types.ts';

/** Option functions for spec.process, root and annotations. */

function proc(spec: Spec): NonNullable<Spec['process']> {
  return (spec.process ??= { user: { uid: 0, gid: 0 }, args: [], cwd: '/' });
}

export function withProcessArgs(args: readonly string[]): SpecOpt {
  return (spec) => {
    if (args.length === 0 || args[0] === '') throw new InvalidArgumentError('no command specified');
    proc(spec).args = [...args];
  };
}

export function withEnv(env: readonly string[]): SpecOpt {
  return (spec) => { proc(spec).env = [...env]; };
}

export function withUser(user: { uid: number; gid: number; additionalGids?: readonly number[] }): SpecOpt {
  return (spec) => {
    proc(spec).user = { uid: user.uid, gid: user.gid, ...(user.additionalGids?.length ? { additionalGids: [...user.additionalGids] } : {}) };
  };
}

/** An empty working dir means "/" as in Docker; a relative one is rejected. */
export function withCwd(cwd: string): SpecOpt {
  return (spec) => {
    if (cwd === '') cwd = '/';
    if (!cwd.startsWith('/')) throw new InvalidArgumentError(`WorkingDir: the working directory '${cwd}' is invalid, it needs to be an absolute path`);
    proc(spec).cwd = posix.normalize(cwd);
  };
}

export function withTerminal(terminal: boolean): SpecOpt {
  return (spec) => { proc(spec).terminal = terminal; };
}

export function withRootfs(path: string, readonly = false): SpecOpt {
  return (spec) => { spec.root = { path, readonly }; };
}

export function withOomScoreAdj(score: number): SpecOpt {
  return (spec) => {
    if (!Number.isInteger(score) || score < -1000 || score > 1000) {
      throw new InvalidArgumentError(`OomScoreAdj: invalid value ${score}, range is [-1000, 1000]`);
    }
    proc(spec).oomScoreAdj = score;
  };
}

const ULIMIT_NAMES = new Set(['as', 'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile',
  'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack']);

/**
 * Docker's --ulimit: each replaces the rlimit of the same type, others are kept. -1 means
 * unlimited (RLIM_INFINITY); serializeSpec writes it as the uint64 runc expects.
 */
export function withUlimits(ulimits: readonly { name: string; soft: number; hard: number }[]): SpecOpt {
  return (spec) => {
    const p = proc(spec);
    const byType = new Map<string, Rlimit>((p.rlimits ?? []).map((r) => [r.type, r]));
    for (const u of ulimits) {
      const name = u.name.toLowerCase();
      if (!ULIMIT_NAMES.has(name)) throw new InvalidArgumentError(`Ulimits: invalid ulimit type: ${u.name}`);
      const soft = u.soft < 0 ? -1 : u.soft;
      const hard = u.hard < 0 ? -1 : u.hard;
      if (hard !== -1 && (soft === -1 || soft > hard)) {
        throw new InvalidArgumentError(`Ulimits: ulimit soft limit must be less than or equal to hard limit: ${u.soft} > ${u.hard}`);
      }
      byType.set(`RLIMIT_${name.toUpperCase()}`, { type: `RLIMIT_${name.toUpperCase()}`, soft, hard });
    }
    p.rlimits = [...byType.values()];
  };
}

export function withAnnotations(annotations: Record<string, string>): SpecOpt {
  return (spec) => {
    if (Object.keys(annotations).length > 0) spec.annotations = { ...spec.annotations, ...annotations };
  };
}
