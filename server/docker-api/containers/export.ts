import { pipeline } from 'node:stream/promises';
import type { Route } from '../router.ts';

/** `GET /containers/{id}/export`: a tar of the container's filesystem. */
export const routes: Route[] = [{
  method: 'GET',
  path: '/containers/:id/export',
  handler: async ({ engine, res, params }) => {
    const tar = await engine.containerOps.export(params.id!);
    res.writeHead(200, { 'Content-Type': 'application/x-tar' });
    try {
      await pipeline(tar, res);
    } catch {
      tar.destroy();
      res.destroy();
    }
  },
}];
