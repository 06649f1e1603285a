import type { ImageStore } from '../images/store.ts';
import { parseReference } from '../images/reference.ts';

/**
 * Which repositories of a registry are known to hold a blob, so a push can ask the registry to
 * mount it from there instead of uploading it again. Learnt from pulls and pushes in this
 * process, and from the repo digests of local images (which survive restarts).
 */
export class BlobSources {
  private readonly seen = new Map<string, Set<string>>();

  constructor(private readonly store: ImageStore) {}

  remember(domain: string, repository: string, digests: Iterable<string>): void {
    for (const d of digests) {
      const key = `${domain}\n${d}`;
      let repos = this.seen.get(key);
      if (!repos) this.seen.set(key, repos = new Set());
      repos.add(repository);
    }
  }

  /** A repository of `domain`, other than `except`, that had `digest`. */
  find(domain: string, digest: string, except: string): string | undefined {
    for (const r of this.seen.get(`${domain}\n${digest}`) ?? []) if (r !== except) return r;
    for (const img of this.store.all()) {
      if (img.id !== digest && !img.layers.some((l) => l.digest === digest)) continue;
      for (const rd of this.store.repoDigests(img.id)) {
        const ref = parseReference(rd);
        if (ref.domain === domain && ref.path !== except) return ref.path;
      }
    }
    return undefined;
  }
}
