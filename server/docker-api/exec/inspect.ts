import type { Route } from '../router.ts';
import { sendJSON } from '../respond.ts';

/** `GET /exec/{id}/json`, in moby's ExecInspect shape; ExitCode is null until the process has exited. */
export const routes: Route[] = [{
  method: 'GET',
  path: '/exec/:id/json',
  handler: async ({ engine, res, params }) => {
    const e = engine.containers.exec.get(params.id!);
    const c = e.Config;
    sendJSON(res, 200, {
      ID: e.ID,
      Running: e.Running,
      ExitCode: e.ExitCode,
      ProcessConfig: {
        tty: !!c.Tty,
        entrypoint: c.Cmd[0] ?? '',
        arguments: c.Cmd.slice(1),
        privileged: !!c.Privileged,
        ...(c.User ? { user: c.User } : {}),
      },
      OpenStdin: !!c.AttachStdin,
      OpenStderr: !!c.AttachStderr,
      OpenStdout: !!c.AttachStdout,
      CanRemove: false,
      ContainerID: e.ContainerID,
      DetachKeys: '',
      Pid: e.Pid,
    });
  },
}];
