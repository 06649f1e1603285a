import type { ImageStore } from '../images/store.ts';
import { parseReference } from '../images/reference.ts';
import type { Credentials } from '../registry/auth.ts';
import type { RegistryConfig } from '../registry/registry-config.ts';

export interface BaseImageDeps {
  store: ImageStore;
  /** Pull through the engine's registry client; returns the image id. */
  pull: (ref: string, emit: (msg: Record<string, unknown>) => void, creds?: Credentials) => Promise<string>;
}

/**
 * The image a FROM names: the local one, pulled when absent (as dockerd does) or when the build
 * asks for `--pull`; the pull's progress goes into the build's stream. The pull uses the
 * credentials the build was given for the registry the reference names (X-Registry-Config).
 */
export async function baseImage(deps: BaseImageDeps, ref: string, pull: boolean, emit: (msg: Record<string, unknown>) => void, auth?: RegistryConfig): Promise<string> {
  const local = deps.store.find(ref);
  if (local && !pull) return local.id;
  return deps.pull(ref, emit, auth?.get(parseReference(ref).domain));
}
