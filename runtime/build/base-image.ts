import type { ImageStore } from '../images/store.ts';

export interface BaseImageDeps {
  store: ImageStore;
  /** Pull through the engine's registry client; returns the image id. */
  pull: (ref: string, emit: (msg: Record<string, unknown>) => void) => Promise<string>;
}

/**
 * The image a FROM names: the local one, pulled when absent (as dockerd does) or when the build
 * asks for `--pull`; the pull's progress goes into the build's stream.
 */
export async function baseImage(deps: BaseImageDeps, ref: string, pull: boolean, emit: (msg: Record<string, unknown>) => void): Promise<string> {
  const local = deps.store.find(ref);
  if (local && !pull) return local.id;
  return deps.pull(ref, emit);
}
