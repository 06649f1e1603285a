import { isWharfError } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';
import { badRequest } from '../errors.ts';
import { sendEmpty } from '../respond.ts';

export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/:id/start',
  handler: async ({ engine, req, res, params }) => {
    // A HostConfig at start went away in API 1.24; dockerd still lets a `{}`-sized body through.
    const length = req.headers['content-length'] === undefined ? (req.headers['transfer-encoding'] ? -1 : 0) : Number(req.headers['content-length']);
    req.resume();
    if (length > 7 || length === -1) throw badRequest('starting container with non-empty request body was deprecated since API v1.22 and removed in v1.24');
    const { id } = engine.containers.get(params.id!);
    try {
      await engine.containers.start(id);
    } catch (e) {
      // As dockerd: an --rm container that failed to start is removed (`docker run --rm` waits for it).
      const refused = isWharfError(e) && (e.code === 'NotModified' || e.code === 'Conflict');
      const row = engine.containers.find(id);
      if (!refused && row?.record.HostConfig.AutoRemove && !row.state.Running) await engine.containers.remove(id, { force: true, volumes: true }).catch(() => undefined);
      throw e;
    }
    // The size the client asked for at create; it resizes again itself, but output starts now.
    const row = engine.containers.find(id);
    const [height = 0, width = 0] = (row?.record.HostConfig as { ConsoleSize?: number[] } | undefined)?.ConsoleSize ?? [];
    if (row?.record.Config.Tty && height > 0 && width > 0) await engine.containers.resize(id, height, width).catch(() => undefined);
    sendEmpty(res, 204);
  },
}];
