import type { ContentStore } from '../content/store.ts';
import type { ImageMetadata, ImageRow, LayerRecord } from '../metadata/images.ts';
import type { EventBus } from '../events/bus.ts';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors.ts';
import { isDigest, type Digest } from '../util/digest.ts';
import { familiarName, familiarString, parseReference, refString, type Reference } from './reference.ts';
import type { ImageConfig } from './oci-types.ts';

export interface RegisterImage {
  configDigest: Digest;
  config: ImageConfig;
  manifestDigest?: Digest;
  layers: LayerRecord[];
  /** Full references (docker.io/library/busybox:latest) to point at the image. */
  repoTags: string[];
  /** repo@digest references, when the image came from a registry. */
  repoDigests?: string[];
}

/**
 * Image records and names, Docker's classic model: an image's id is its config digest,
 * tags and repo digests are names pointing at it.
 */
export class ImageStore {
  constructor(private readonly meta: ImageMetadata, private readonly content: ContentStore, private readonly events: EventBus) {}

  /** Find an image by reference, full id, `sha256:` id or unique id prefix, as Docker does. */
  resolve(nameOrId: string): ImageRow {
    const row = this.find(nameOrId);
    if (!row) throw new NotFoundError(`No such image: ${nameOrId}`);
    return row;
  }

  find(nameOrId: string): ImageRow | undefined {
    if (isDigest(nameOrId)) return this.meta.get(nameOrId);
    let ref: Reference | undefined;
    try { ref = parseReference(nameOrId); } catch { ref = undefined; }
    if (ref) {
      const id = ref.digest ? this.meta.digestRef(`${ref.domain}/${ref.path}@${ref.digest}`) ?? this.digestMatch(ref.digest) : this.meta.tagged(refString(ref));
      if (id) return this.meta.get(id);
    }
    if (/^[a-f0-9]{1,64}$/.test(nameOrId)) {
      const ids = this.meta.byPrefix(nameOrId);
      if (ids.length === 1) return this.meta.get(ids[0]!);
    }
    return undefined;
  }

  private digestMatch(digest: string): string | undefined {
    // A manifest digest or the image id itself may be given after the `@`.
    if (this.meta.get(digest)) return digest;
    return this.meta.all().find((r) => r.manifestDigest === digest)?.id;
  }

  all(): ImageRow[] {
    return this.meta.all();
  }

  get(id: string): ImageRow | undefined {
    return this.meta.get(id);
  }

  async config(id: string): Promise<ImageConfig> {
    return this.content.readJSON<ImageConfig>(id as Digest);
  }

  repoTags(id: string): string[] {
    return this.meta.tags(id).map((r) => familiarString(parseReference(r)));
  }

  repoDigests(id: string): string[] {
    return this.meta.digests(id).map((r) => {
      const at = r.indexOf('@');
      return `${familiarName(parseReference(r.slice(0, at)))}${r.slice(at)}`;
    });
  }

  /** Record an image whose layers are unpacked, and point its names at it. */
  register(img: RegisterImage): ImageRow {
    const created = Math.floor(Date.parse(img.config.created ?? '') / 1000) || 0;
    const row: ImageRow = {
      id: img.configDigest,
      manifestDigest: img.manifestDigest ?? null,
      layers: img.layers,
      size: img.layers.reduce((n, l) => n + l.uncompressedSize, 0),
      created,
      added: Math.floor(Date.now() / 1000),
    };
    this.meta.transaction(() => {
      this.meta.put(row);
      for (const ref of img.repoTags) this.meta.setTag(refString(parseReference(ref)), row.id);
      for (const ref of img.repoDigests ?? []) this.meta.setDigestRef(ref, row.id);
    });
    return this.meta.get(row.id)!;
  }

  tag(source: string, target: string): void {
    const img = this.resolve(source);
    const ref = parseReference(target);
    if (ref.digest) throw new InvalidArgumentError(`refusing to create a tag with a digest reference: ${target}`);
    this.meta.setTag(refString(ref), img.id);
    this.events.publish('image', 'tag', img.id, { name: familiarString(ref) });
  }

  /**
   * Docker's `rmi`: a name with other names left is just untagged; otherwise the image is
   * deleted unless a container uses it (force untags anyway, but never deletes a used image).
   * Returns Docker's list of {Untagged}/{Deleted} items and the removed image, if any.
   */
  remove(nameOrId: string, opts: { force: boolean; usedBy: (id: string) => string[] }): { items: { Untagged?: string; Deleted?: string }[]; deleted?: ImageRow } {
    const img = this.resolve(nameOrId);
    const tags = this.meta.tags(img.id);
    const digests = this.meta.digests(img.id);
    const items: { Untagged?: string; Deleted?: string }[] = [];
    let byName: string | undefined;
    try {
      const ref = parseReference(nameOrId);
      const full = ref.digest ? `${ref.domain}/${ref.path}@${ref.digest}` : refString(ref);
      if (tags.includes(full) || digests.includes(full)) byName = full;
    } catch { /* not a name: an id */ }

    const users = opts.usedBy(img.id);
    // As dockerd does: the last tag of a repository takes that repository's digest references
    // with it (a pulled image is not kept alive by `repo@sha256:…` alone).
    const alsoGone = byName ? sameRepoDigests(byName, tags, digests) : [];
    if (byName && tags.length + digests.length - alsoGone.length > 1) {
      this.untag(byName, img.id, items);
      for (const d of alsoGone) this.untag(d, img.id, items);
      return { items };
    }
    if (!byName && tags.length > 1 && !opts.force) {
      throw new ConflictError(`conflict: unable to delete ${img.id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`);
    }
    if (users.length > 0) {
      if (!opts.force) {
        const what = byName ? `remove repository reference "${nameOrId}"` : `delete ${img.id.slice(7, 19)}`;
        throw new ConflictError(`conflict: unable to ${what} (must force) - container ${users[0]!.slice(0, 12)} is using its referenced image ${img.id.slice(7, 19)}`);
      }
      // Forced: names go, the image stays for the containers that use it.
      for (const t of [...tags, ...digests]) this.untag(t, img.id, items);
      return { items };
    }
    this.meta.transaction(() => {
      for (const t of [...tags, ...digests]) this.untag(t, img.id, items);
      this.meta.delete(img.id);
    });
    items.push({ Deleted: img.id });
    this.events.publish('image', 'delete', img.id, {});
    return { items, deleted: img };
  }

  private untag(ref: string, id: string, items: { Untagged?: string }[]): void {
    const at = ref.indexOf('@');
    if (at >= 0) {
      this.meta.deleteDigestRef(ref);
      items.push({ Untagged: `${familiarName(parseReference(ref.slice(0, at)))}${ref.slice(at)}` });
    } else {
      this.meta.deleteTag(ref);
      const name = familiarString(parseReference(ref));
      items.push({ Untagged: name });
      this.events.publish('image', 'untag', id, { name });
    }
  }

  /** Layer blobs and chainIDs still referenced by some image (for garbage collection). */
  referencedBlobs(): Set<string> {
    const keep = new Set<string>();
    for (const r of this.meta.all()) {
      keep.add(r.id);
      if (r.manifestDigest) keep.add(r.manifestDigest);
      for (const l of r.layers) keep.add(l.digest);
    }
    return keep;
  }
}

/** Digest references of `ref`'s repository when `ref` is that repository's last tag; none otherwise. */
function sameRepoDigests(ref: string, tags: string[], digests: string[]): string[] {
  if (ref.includes('@')) return [];
  const repo = refString({ ...parseReference(ref), tag: undefined, digest: undefined });
  const sameRepo = (r: string) => refString({ ...parseReference(r), tag: undefined, digest: undefined }) === repo;
  if (tags.some((t) => t !== ref && sameRepo(t))) return [];
  return digests.filter(sameRepo);
}
