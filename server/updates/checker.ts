import { familiarName, parseReference, type Engine } from '../../runtime/index.ts';
import type { ImageUpdate } from '../protocol/index.ts';
import type { RegistryStore } from '../registries/store.ts';
import type { UpdateStore } from './store.ts';

/** A registry that does not answer must not hold a check (or the UI waiting on it) for long. */
const HEAD_TIMEOUT_MS = 30_000;

interface InUse { reference: string; imageId: string }

/**
 * Compares, for every tag a container of the embedded engine runs, the repo digest the local
 * image was pulled with against the digest the registry serves for that tag now — a `HEAD` on
 * the manifest, so nothing is downloaded. Both are digests of what the tag names (the index for
 * a multi-arch image), so they are compared like with like.
 */
export class UpdateChecker {
  private running?: Promise<ImageUpdate[]>;

  constructor(private readonly engine: Engine, private readonly registries: RegistryStore, private readonly store: UpdateStore) {}

  /** One check of everything in use; concurrent callers share the check in progress. */
  checkAll(): Promise<ImageUpdate[]> {
    this.running ??= this.run().finally(() => { this.running = undefined; });
    return this.running;
  }

  /** Checks one tag now (after an update or roll back) and records the result. */
  async checkOne(reference: string, imageId: string): Promise<ImageUpdate> {
    const result = await this.compare({ reference, imageId });
    this.store.put(result);
    return result;
  }

  private async run(): Promise<ImageUpdate[]> {
    const results = await Promise.all(this.inUse().map((u) => this.compare(u)));
    this.store.replaceAll(results);
    return results;
  }

  /** Distinct (tag, image) pairs of the containers; containers created from an image id follow no tag. */
  private inUse(): InUse[] {
    const seen = new Map<string, InUse>();
    for (const row of this.engine.containers.list()) {
      const { ImageRef: ref, Image: imageId, Name: name } = row.record;
      // A rolled-back container runs its earlier image by id but still follows the tag it was updated from.
      const reference = followedTag(ref, imageId) ?? this.store.rollback(name.replace(/^\//, ''))?.reference;
      if (reference) seen.set(`${reference}\n${imageId}`, { reference, imageId });
    }
    return [...seen.values()];
  }

  private async compare({ reference, imageId }: InUse): Promise<ImageUpdate> {
    const checkedAt = new Date().toISOString();
    const base = { reference, imageId, checkedAt };
    const ref = parseReference(reference);
    const repo = familiarName(ref);
    // An image keeps every digest it was pulled by from a repository (a multi-platform index that
    // moved for another platform brings the same image under a new digest): each names it.
    const locals = this.engine.images.repoDigests(imageId).filter((d) => d.slice(0, d.indexOf('@')) === repo).map((d) => d.slice(d.indexOf('@') + 1));
    let localDigest = locals.at(-1) ?? null;
    try {
      const remoteDigest = await this.engine.images.remoteDigest(reference, this.registries.credentialsFor(ref.domain), AbortSignal.timeout(HEAD_TIMEOUT_MS));
      if (locals.includes(remoteDigest)) localDigest = remoteDigest;
      // An image never pulled from this repository (built or loaded here) has nothing to compare.
      const status = localDigest === null ? 'unknown' : localDigest === remoteDigest ? 'current' : 'available';
      return { ...base, localDigest, remoteDigest, status, error: null };
    } catch (e) {
      return { ...base, localDigest, remoteDigest: null, status: 'error', error: (e as Error).message };
    }
  }
}

/** The tag a container follows: its image reference when that names a tag, not an image id. */
export function followedTag(ref: string, imageId: string): string | undefined {
  const hex = imageId.replace(/^sha256:/, '');
  const bare = ref.replace(/^sha256:/, '');
  if (ref.startsWith('sha256:') || (/^[a-f0-9]+$/.test(bare) && hex.startsWith(bare))) return undefined;
  try {
    const parsed = parseReference(ref);
    return parsed.digest ? undefined : ref;
  } catch {
    return undefined;
  }
}
