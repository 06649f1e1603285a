import { FailedPreconditionError, PermissionDeniedError } from '../../../runtime/index.ts';
import { badRequest } from '../errors.ts';
import type { Route } from '../router.ts';
import { queryBool, sendEmpty } from '../respond.ts';

/**
 * `PUT /containers/{id}/archive?path=`: extract the tar body into a directory of the container.
 * A read-only rootfs or volume is a 403, as in dockerd.
 */
export const routes: Route[] = [{
  method: 'PUT',
  path: '/containers/:id/archive',
  handler: async ({ engine, req, res, params, query }) => {
    const path = query.get('path');
    if (!path) throw badRequest('path: must not be empty');
    const noOverwriteDirNonDir = queryBool(query, 'noOverwriteDirNonDir');
    const copyUIDGID = queryBool(query, 'copyUIDGID');
    try {
      await engine.containerOps.putArchive(params.id!, path, req, { noOverwriteDirNonDir, copyUIDGID });
    } catch (e) {
      if (e instanceof FailedPreconditionError) throw new PermissionDeniedError(e.message, { cause: e });
      throw e;
    }
    sendEmpty(res, 200);
  },
}];
