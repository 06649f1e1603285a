import type { Route } from '../router.ts';
import { sendJSON } from '../respond.ts';
import { parseDetachKeys } from '../containers/detach-keys.ts';

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
      // Go's []byte: the key bytes in base64, empty when the defaults apply.
      DetachKeys: c.DetachKeys ? parseDetachKeys(c.DetachKeys).toString('base64') : '',
      Pid: e.Pid,
    });
  },
}];
