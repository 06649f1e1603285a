import type { ExecConfig } from '../../../runtime/index.ts';
import { badRequest } from '../errors.ts';
import type { Route } from '../router.ts';
import { readJSON, sendJSON } from '../respond.ts';
import { parseConsoleSize } from './console-size.ts';
import { parseDetachKeys } from '../containers/detach-keys.ts';

function strings(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw badRequest(`${field}: must be an array of strings`);
  return v as string[];
}

function str(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${field}: must be a string`);
  return v;
}

function bool(v: unknown, field: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw badRequest(`${field}: must be a boolean`);
  return v;
}

/** `POST /containers/{id}/exec`: register a command to run in a running container (409 when it is not, or paused). */
export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/:id/exec',
  handler: async (r) => {
    const body = await readJSON(r);
    if (!body || typeof body !== 'object') throw badRequest('invalid exec config');
    const cmd = strings(body.Cmd, 'Cmd');
    if (!cmd || cmd.length === 0) throw badRequest('No exec command specified');
    const env = strings(body.Env, 'Env');
    for (const e of env ?? []) if (!e || e.startsWith('=')) throw badRequest(`invalid environment variable: ${e}`);
    const config: ExecConfig = {
      Cmd: cmd,
      Env: env,
      User: str(body.User, 'User'),
      WorkingDir: str(body.WorkingDir, 'WorkingDir'),
      Tty: bool(body.Tty, 'Tty'),
      AttachStdin: bool(body.AttachStdin, 'AttachStdin'),
      AttachStdout: bool(body.AttachStdout, 'AttachStdout'),
      AttachStderr: bool(body.AttachStderr, 'AttachStderr'),
      Privileged: bool(body.Privileged, 'Privileged'),
      ConsoleSize: parseConsoleSize(body.ConsoleSize, 'ConsoleSize'),
      DetachKeys: str(body.DetachKeys, 'DetachKeys') || undefined,
    };
    if (config.DetachKeys) parseDetachKeys(config.DetachKeys, 'escape');
    if (config.WorkingDir && !config.WorkingDir.startsWith('/')) throw badRequest(`WorkingDir: the working directory '${config.WorkingDir}' is invalid, it needs to be an absolute path`);
    await r.policy?.check({ kind: 'exec.create', container: r.params.id!, config });
    const inst = r.engine.containers.createExec(r.params.id!, config);
    sendJSON(r.res, 201, { Id: inst.ID });
  },
}];
