import { InvalidArgumentError } from '../errors.ts';
import type { ContainerConfig } from '../images/oci-types.ts';
import { checkTrigger } from './onbuild.ts';
import { takeFlags, parseExecForm, parseKeyValues, splitWords } from './dockerfile.ts';

export const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** The command a RUN/CMD/ENTRYPOINT means: exec form as written, shell form through SHELL. */
export function commandOf(args: string, shell: readonly string[] | undefined): string[] {
  return parseExecForm(args) ?? [...(shell?.length ? shell : DEFAULT_SHELL), args];
}

function setEnv(env: string[], key: string, value: string): string[] {
  return [...env.filter((e) => e.split('=')[0] !== key), `${key}=${value}`];
}

const DURATION = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/;
const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

function durationNs(v: string, flag: string): number {
  const m = DURATION.exec(v);
  if (!m) throw new InvalidArgumentError(`HEALTHCHECK --${flag}: invalid duration ${v}`);
  return Math.round(Number(m[1]) * UNIT_NS[m[2]!]!);
}

/**
 * Apply a metadata-only instruction (ENV, CMD, LABEL, ...) to an image's runtime config,
 * `args` already substituted. Returns a new config; the input is not changed.
 */
export function applyMetadata(keyword: string, args: string, c: ContainerConfig): ContainerConfig {
  const out: ContainerConfig = { ...c };
  switch (keyword) {
    case 'ENV':
      for (const [k, v] of parseKeyValues(args, 'ENV')) out.Env = setEnv(out.Env ?? [], k, v);
      break;
    case 'LABEL':
      out.Labels = { ...(out.Labels ?? {}), ...Object.fromEntries(parseKeyValues(args, 'LABEL', false)) };
      break;
    case 'MAINTAINER':
      break;
    case 'CMD':
      out.Cmd = commandOf(args, out.Shell);
      break;
    case 'ENTRYPOINT':
      out.Entrypoint = commandOf(args, out.Shell);
      // Docker: a new ENTRYPOINT resets a CMD inherited from the base image.
      out.Cmd = undefined;
      break;
    case 'USER':
      if (!args.trim()) throw new InvalidArgumentError('USER requires exactly one argument');
      out.User = splitWords(args)[0]!;
      break;
    case 'EXPOSE': {
      const ports = { ...(out.ExposedPorts ?? {}) };
      for (const p of splitWords(args)) ports[p.includes('/') ? p.toLowerCase() : `${p}/tcp`] = {};
      out.ExposedPorts = ports;
      break;
    }
    case 'VOLUME': {
      const vols = { ...(out.Volumes ?? {}) };
      for (const v of parseExecForm(args) ?? splitWords(args)) {
        if (!v.trim()) throw new InvalidArgumentError('VOLUME specified can not be an empty string');
        vols[v] = {};
      }
      out.Volumes = vols;
      break;
    }
    case 'STOPSIGNAL':
      out.StopSignal = args.trim();
      break;
    case 'SHELL': {
      const sh = parseExecForm(args);
      if (!sh?.length) throw new InvalidArgumentError('SHELL requires the arguments to be in JSON form');
      out.Shell = sh;
      break;
    }
    case 'ONBUILD':
      checkTrigger(args);
      out.OnBuild = [...(out.OnBuild ?? []), args];
      break;
    case 'HEALTHCHECK': {
      const { flags, rest } = takeFlags(args);
      const words = rest.trim().split(/\s+/);
      const kind = words[0]?.toUpperCase();
      if (kind === 'NONE') { out.Healthcheck = { Test: ['NONE'] }; break; }
      if (kind !== 'CMD') throw new InvalidArgumentError('HEALTHCHECK requires NONE or CMD');
      const cmdArgs = rest.trim().slice(3).trim();
      const exec = parseExecForm(cmdArgs);
      const hc: Record<string, unknown> = { Test: exec ? ['CMD', ...exec] : ['CMD-SHELL', cmdArgs] };
      for (const [f, k] of [['interval', 'Interval'], ['timeout', 'Timeout'], ['start-period', 'StartPeriod'], ['start-interval', 'StartInterval']] as const) {
        if (flags[f]) hc[k] = durationNs(flags[f], f);
      }
      if (flags.retries) hc.Retries = Number(flags.retries);
      out.Healthcheck = hc as ContainerConfig['Healthcheck'];
      break;
    }
    default:
      throw new InvalidArgumentError(`${keyword} is not a metadata instruction`);
  }
  return out;
}
