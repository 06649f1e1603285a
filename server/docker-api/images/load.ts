import type { Route } from '../router.ts';
import { queryBool } from '../respond.ts';
import { JSONStream } from '../stream.ts';

/**
 * POST /images/load: `docker load`. The answer is always a 200 JSON stream, as dockerd sends it;
 * a bad archive is reported inside the stream (errorDetail) and loads nothing.
 */
export const routes: Route[] = [{
  method: 'POST',
  path: '/images/load',
  handler: async ({ engine, req, res, query }) => {
    queryBool(query, 'quiet');
    const out = new JSONStream(res);
    try {
      const lines = await engine.images.load(req);
      for (const line of lines) out.write({ stream: `${line}\n` });
    } catch (e) {
      out.error(e instanceof Error ? e.message : String(e));
      // The client may still be sending the rest of a bad archive: read it so the answer reaches it.
      req.resume();
    }
    out.end();
  },
}];
