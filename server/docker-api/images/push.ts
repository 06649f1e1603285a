import { decodeRegistryAuth, familiarName, parseReference } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';
import { JSONStream } from '../stream.ts';
import { clientGone } from '../abort.ts';

/**
 * POST /images/{name}/push?tag=: `docker push`. Credentials come in X-Registry-Auth. A missing
 * local image is an ordinary 404; registry failures come inside the progress stream.
 */
export const routes: Route[] = [{
  method: 'POST',
  path: '/images/:name*/push',
  handler: async ({ engine, req, res, params, query }) => {
    const name = params.name!;
    const ref = parseReference(name);
    const creds = decodeRegistryAuth(req.headers['x-registry-auth'] as string | undefined);
    const out = new JSONStream(res);
    let started = false;
    const write = (m: object): void => {
      if (!started) out.write({ status: `The push refers to repository [${familiarName(ref)}]` });
      started = true;
      out.write(m);
    };
    try {
      await engine.images.push(name, query.get('tag') ?? '', { creds, signal: clientGone(res) }, write, (p) => write({ progressDetail: {}, aux: { Tag: p.tag, Digest: p.digest, Size: p.size } }));
    } catch (e) {
      if (!started) throw e;
      out.error((e as Error).message);
    }
    out.end();
  },
}];
