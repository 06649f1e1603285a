import { PassThrough, type Readable } from 'node:stream';
import { computeDiff } from '../diff/compute.ts';
import type { ContainerContext } from './context.ts';
import { withContainerFS } from './access.ts';

/**
 * `docker export`: a tar of the container's whole filesystem, the merged rootfs without its
 * volumes and binds, as Docker's. The container stays locked (and frozen, when running) until
 * the tar has been read: its processes must not swap paths under the walk.
 */
export function exportContainer(ctx: ContainerContext, id: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    withContainerFS(ctx, id, async (view) => {
      const out = new PassThrough();
      const done = new Promise<void>((r) => { out.on('close', r); out.on('end', r); out.on('error', () => r()); });
      // A merged overlay view shows no whiteouts or opaque markers, so the layer writer is a plain tree writer here.
      const tar = computeDiff([], view.rootfs);
      tar.on('error', (e) => out.destroy(e));
      tar.pipe(out);
      resolve(out);
      await done;
    }).catch(reject);
  });
}
