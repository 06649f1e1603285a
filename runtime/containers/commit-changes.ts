import { posix } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';
import { replaceOrAppendEnv } from '../oci/env.ts';
import { parseSignal } from './stop.ts';

/** The image-facing part of a container config that `docker commit --change` can set. */
export interface CommitConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  OnBuild?: string[];
}

/** Docker's allow-list for commit/import changes (moby's validCommitCommands). */
const ALLOWED = new Set(['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
const KNOWN = new Set([...ALLOWED, 'ADD', 'ARG', 'COPY', 'FROM', 'HEALTHCHECK', 'MAINTAINER', 'RUN', 'SHELL']);

function bad(line: string, why: string): InvalidArgumentError {
  return new InvalidArgumentError(`invalid change "${line}": ${why}`);
}

/** Expand `$NAME` and `${NAME}` from the environment built so far, as the Dockerfile builder does. */
function expand(word: string, env: readonly string[]): string {
  const lookup = (name: string): string => {
    for (let i = env.length - 1; i >= 0; i--) if (env[i]!.startsWith(`${name}=`)) return env[i]!.slice(name.length + 1);
    return '';
  };
  return word.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a?: string, b?: string) => lookup((a ?? b)!));
}

/** Shell-like words: quotes group, backslash escapes, variables expand outside single quotes. */
function words(text: string, env: readonly string[], line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let plain = '';
  const flush = (): void => {
    cur += expand(plain, env);
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      flush();
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else if (ch === '\\' && i + 1 < text.length) {
      flush();
      cur += text[++i];
      has = true;
    } else if (ch === '"' || ch === "'") {
      flush();
      const end = text.indexOf(ch, i + 1);
      if (end < 0) throw bad(line, `unterminated ${ch} quote`);
      const inner = text.slice(i + 1, end);
      cur += ch === '"' ? expand(inner.replace(/\\(["\\$])/g, '$1'), env) : inner;
      has = true;
      i = end;
    } else {
      plain += ch;
      has = true;
    }
  }
  flush();
  if (has) out.push(cur);
  return out;
}

/** `key=value ...`, or the legacy `key value` form of ENV and LABEL. */
function pairs(rest: string, env: readonly string[], line: string): [string, string][] {
  const ws = words(rest, env, line);
  if (ws.length === 0) throw bad(line, 'requires at least one argument');
  if (!ws[0]!.includes('=')) {
    const m = /^\s*(\S+)\s+([\s\S]*)$/.exec(rest);
    if (!m) throw bad(line, 'requires two arguments, or name=value pairs');
    return [[m[1]!, expand(m[2]!.trim(), env)]];
  }
  return ws.map((w) => {
    const i = w.indexOf('=');
    if (i <= 0) throw bad(line, `can't find = in "${w}". Must be of the form: name=value`);
    return [w.slice(0, i), w.slice(i + 1)];
  });
}

/** A JSON string array (exec form), or undefined for the shell form. */
function execForm(rest: string, line: string): string[] | undefined {
  if (!rest.trim().startsWith('[')) return undefined;
  let v: unknown;
  try { v = JSON.parse(rest); } catch { return undefined; }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw bad(line, 'the exec form must be a JSON array of strings');
  return v as string[];
}

function ports(rest: string, line: string): string[] {
  const out: string[] = [];
  for (const w of rest.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(w);
    const lo = Number(m?.[1]);
    const hi = m?.[2] === undefined ? lo : Number(m[2]);
    if (!m || lo < 1 || hi > 65535 || hi < lo) throw bad(line, `invalid port ${w}`);
    for (let p = lo; p <= hi; p++) out.push(`${p}/${(m[3] ?? 'tcp').toLowerCase()}`);
  }
  if (out.length === 0) throw bad(line, 'EXPOSE requires at least one argument');
  return out;
}

/**
 * Apply `docker commit --change` instructions to a config, in order, as moby's BuildFromConfig
 * does: each change is one Dockerfile line (a change may hold several lines). Throws on the
 * first bad line, before anything is committed.
 */
export function applyChanges(base: CommitConfig, changes: readonly string[]): CommitConfig {
  const c: CommitConfig = structuredClone(base);
  let cmdSet = false;
  for (const line of changes.flatMap((ch) => ch.split('\n')).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    const m = /^(\S+)\s*([\s\S]*)$/.exec(line)!;
    const instr = m[1]!.toUpperCase();
    const rest = m[2]!;
    if (!KNOWN.has(instr)) throw new InvalidArgumentError(`invalid change "${line}": unknown instruction: ${m[1]}`);
    if (!ALLOWED.has(instr)) throw new InvalidArgumentError(`${instr} is not a valid change command`);
    const env = c.Env ?? [];
    switch (instr) {
      case 'CMD':
        c.Cmd = execForm(rest, line) ?? ['/bin/sh', '-c', rest];
        cmdSet = true;
        break;
      case 'ENTRYPOINT':
        c.Entrypoint = execForm(rest, line) ?? ['/bin/sh', '-c', rest];
        // A new entrypoint drops the old image's CMD unless this commit sets one too.
        if (!cmdSet) c.Cmd = null;
        break;
      case 'ENV':
        c.Env = replaceOrAppendEnv(env, pairs(rest, env, line).map(([k, v]) => `${k}=${v}`));
        break;
      case 'LABEL':
        c.Labels = { ...(c.Labels ?? {}), ...Object.fromEntries(pairs(rest, env, line)) };
        break;
      case 'EXPOSE':
        c.ExposedPorts = { ...(c.ExposedPorts ?? {}), ...Object.fromEntries(ports(expand(rest, env), line).map((p) => [p, {}])) };
        break;
      case 'USER':
        if (!rest.trim()) throw bad(line, 'USER requires exactly one argument');
        c.User = expand(rest.trim(), env);
        break;
      case 'WORKDIR': {
        const dir = expand(rest.trim(), env);
        if (!dir) throw bad(line, 'WORKDIR requires exactly one argument');
        c.WorkingDir = posix.normalize(posix.isAbsolute(dir) ? dir : posix.join(c.WorkingDir || '/', dir));
        break;
      }
      case 'VOLUME': {
        const list = execForm(rest, line) ?? words(rest, env, line);
        if (list.length === 0 || list.some((v) => !v.trim())) throw bad(line, 'VOLUME specified can not be an empty string');
        c.Volumes = { ...(c.Volumes ?? {}), ...Object.fromEntries(list.map((v) => [v.trim(), {}])) };
        break;
      }
      case 'STOPSIGNAL': {
        const sig = expand(rest.trim(), env);
        try { parseSignal(sig); } catch { throw bad(line, `Invalid signal: ${sig}`); }
        c.StopSignal = sig;
        break;
      }
      case 'ONBUILD': {
        const trigger = rest.trim();
        const first = trigger.split(/\s+/)[0]?.toUpperCase() ?? '';
        if (!trigger) throw bad(line, 'ONBUILD requires at least one argument');
        if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(first)) throw bad(line, `${first} isn't allowed as an ONBUILD trigger`);
        c.OnBuild = [...(c.OnBuild ?? []), trigger];
        break;
      }
    }
  }
  return c;
}
