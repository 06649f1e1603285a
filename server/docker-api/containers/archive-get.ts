import { pipeline } from 'node:stream/promises';
import type { PathStat } from '../../../runtime/index.ts';
import { badRequest } from '../errors.ts';
import type { Route } from '../router.ts';

export const PATH_STAT_HEADER = 'X-Docker-Container-Path-Stat';

export function encodePathStat(stat: PathStat): string {
  return Buffer.from(JSON.stringify(stat)).toString('base64');
}

/** `HEAD|GET /containers/{id}/archive?path=`: the path's stat in a header; GET adds a tar of it. */
export const routes: Route[] = [{
  method: 'GET',
  path: '/containers/:id/archive',
  handler: async ({ engine, req, res, params, query }) => {
    const path = query.get('path');
    if (!path) throw badRequest('path: must not be empty');
    if (req.method === 'HEAD') {
      const stat = await engine.containerOps.statPath(params.id!, path);
      res.writeHead(200, { [PATH_STAT_HEADER]: encodePathStat(stat), 'Content-Type': 'application/x-tar' });
      res.end();
      return;
    }
    const { stat, tar } = await engine.containerOps.getArchive(params.id!, path);
    res.writeHead(200, { [PATH_STAT_HEADER]: encodePathStat(stat), 'Content-Type': 'application/x-tar' });
    try {
      await pipeline(tar, res);
    } catch {
      // The client went away or the walk failed mid-way: the connection is all there is to close.
      tar.destroy();
      res.destroy();
    }
  },
}];
