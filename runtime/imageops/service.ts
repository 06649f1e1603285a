import type { Readable, Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ContentStore } from '../content/store.ts';
import type { EventBus } from '../events/bus.ts';
import type { ImageStore } from '../images/store.ts';
import type { ImageRow } from '../metadata/images.ts';
import type { OverlaySnapshotter } from '../snapshots/overlay.ts';
import type { LayerUnpacker } from '../diff/unpacker.ts';
import { readImageArchive, type LoadedImage } from '../images/archive/load.ts';
import { writeImageArchive, type SaveImage } from '../images/archive/save.ts';
import { familiarString, parseReference } from '../images/reference.ts';
import { seedBusybox } from '../images/seed-busybox.ts';
import { chainIDs, type Digest } from '../util/digest.ts';
import { InvalidArgumentError } from '../errors.ts';
import { importImage, type ImportOptions } from './import.ts';
import { DEFAULT_IMPORT_MAX_BYTES, importURL, openImportURL } from './import-url.ts';
import type { HttpClient } from '../registry/http.ts';
import { pruneImages, type ImagePruneOptions, type ImagePruneReport } from './prune.ts';
import type { ImageTagTimes } from '../metadata/image-tag-times.ts';
import type { ImageConfig } from '../images/oci-types.ts';
import { LoadGuard } from './load-guard.ts';
import type { Distribution, Progress, PullOptions, PushResult } from '../registry/distribution.ts';
import type { Credentials } from '../registry/auth.ts';

export type { Progress, ProgressMessage, PushResult } from '../registry/distribution.ts';

export interface ImageServiceDeps {
  store: ImageStore;
  content: ContentStore;
  snapshots: OverlaySnapshotter;
  unpacker: LayerUnpacker;
  events: EventBus;
  /** When names were last pointed at images (Metadata.LastTagTime). */
  tagTimes: ImageTagTimes;
  /** Pulling, pushing and logging in over the distribution spec. */
  distribution: Distribution;
  /** Ids of the containers created from an image. */
  usedBy: (imageId: string) => string[];
  /** The engine's own HTTP client, for `docker import <url>`. */
  http: HttpClient;
  /** The largest archive `docker import <url>` fetches (DEFAULT_IMPORT_MAX_BYTES when absent). */
  importMaxBytes?: number;
}

/**
 * Image operations that cross layers: loading archives (content → unpack → register),
 * saving them, and removing images together with the layers nothing else uses.
 */
export class ImageService {
  private readonly store: ImageStore;
  private readonly content: ContentStore;
  private readonly snapshots: OverlaySnapshotter;
  private readonly unpacker: LayerUnpacker;
  private readonly events: EventBus;
  private readonly tagTimes: ImageTagTimes;
  private readonly distribution: Distribution;
  private readonly usedBy: (imageId: string) => string[];
  private readonly http: HttpClient;
  private readonly importMaxBytes: number;

  constructor(deps: ImageServiceDeps) {
    ({ store: this.store, content: this.content, snapshots: this.snapshots, unpacker: this.unpacker, events: this.events, tagTimes: this.tagTimes, distribution: this.distribution, usedBy: this.usedBy, http: this.http } = deps);
    this.importMaxBytes = deps.importMaxBytes ?? DEFAULT_IMPORT_MAX_BYTES;
  }

  /** The image a name, id, id prefix or digest reference names; NotFound otherwise. */
  resolve(nameOrId: string): ImageRow {
    return this.store.resolve(nameOrId);
  }

  find(nameOrId: string): ImageRow | undefined {
    return this.store.find(nameOrId);
  }

  /** By full id (`sha256:…`). */
  get(id: string): ImageRow | undefined {
    return this.store.get(id);
  }

  list(): ImageRow[] {
    return this.store.all();
  }

  /** The image's config blob, parsed. */
  config(id: string): Promise<ImageConfig> {
    return this.store.config(id);
  }

  repoTags(id: string): string[] {
    return this.store.repoTags(id);
  }

  repoDigests(id: string): string[] {
    return this.store.repoDigests(id);
  }

  /** When a name was last pointed at the image on this engine (Docker's Metadata.LastTagTime). */
  lastTagTime(id: string): string | undefined {
    return this.tagTimes.get(id);
  }

  /** `docker load`: returns what Docker prints, one line per image name or id. */
  async load(src: Readable): Promise<string[]> {
    // A load that fails part-way takes back the blobs and layers it added (see load-guard.ts).
    const guard = await LoadGuard.start(this.content);
    let archive: Awaited<ReturnType<typeof readImageArchive>> | undefined;
    try {
      archive = await readImageArchive(src, guard.content);
      const lines: string[] = [];
      for (const img of archive.images) {
        await this.registerLoaded(img);
        if (img.repoTags.length === 0) lines.push(`Loaded image ID: ${img.configDigest}`);
        for (const t of img.repoTags) lines.push(`Loaded image: ${familiarString(parseReference(t))}`);
        this.events.publish('image', 'load', img.configDigest, {});
      }
      for (const d of archive.unreferenced) await this.content.delete(d);
      return lines;
    } catch (e) {
      await guard.rollback(this.store, this.unpacker, (archive?.images ?? []).map((i) => i.config.rootfs.diff_ids as Digest[]));
      throw e;
    }
  }

  private async registerLoaded(img: LoadedImage): Promise<ImageRow> {
    const diffIDs = img.config.rootfs.diff_ids as Digest[];
    const layers = await this.unpacker.unpack(img.layers, diffIDs);
    // A name that moves to a new image leaves the old one dangling, as in Docker.
    return this.store.register({ configDigest: img.configDigest, config: img.config, manifestDigest: img.manifestDigest, layers, repoTags: img.repoTags });
  }

  /** Create busybox:latest from the host's busybox-static unless it exists. */
  async ensureBusybox(): Promise<void> {
    if (this.store.find('busybox:latest')) return;
    const seed = await seedBusybox(this.content);
    const layers = await this.unpacker.unpack([seed.layer], [seed.diffID]);
    this.store.register({ configDigest: seed.configDigest, config: seed.config, manifestDigest: seed.manifestDigest, layers, repoTags: ['docker.io/library/busybox:latest'] });
  }

  /** `docker save`: names or ids; tags named explicitly are the ones written, as Docker does. */
  async save(names: string[], out: Writable): Promise<void> {
    if (names.length === 0) throw new InvalidArgumentError('no images specified');
    const byId = new Map<string, SaveImage>();
    for (const name of names) {
      const row = this.store.resolve(name);
      let entry = byId.get(row.id);
      if (!entry) {
        entry = {
          configDigest: row.id as Digest,
          config: await this.content.readBuffer(row.id as Digest),
          repoTags: [],
          layers: this.layerSources(row),
        };
        byId.set(row.id, entry);
      }
      const isId = row.id === name || row.id.slice(7).startsWith(name);
      const tags = isId ? this.store.repoTags(row.id) : [familiarString(parseReference(name))];
      for (const t of tags) if (!entry.repoTags.includes(t)) entry.repoTags.push(t);
    }
    await writeImageArchive([...byId.values()], out);
  }

  /** Uncompressed layer tars from the blobs in the content store (their digests are the diffIDs). */
  private layerSources(row: ImageRow): SaveImage['layers'] {
    return row.layers.map((l) => ({
      diffID: l.diffID as Digest,
      size: l.uncompressedSize,
      open: () => {
        const s = this.content.readStream(l.digest as Digest);
        return /gzip/.test(l.mediaType) ? s.pipe(createGunzip()) : s;
      },
    }));
  }

  /** `docker rmi`, then drop layers and blobs no remaining image uses. */
  async remove(nameOrId: string, opts: { force?: boolean } = {}): Promise<{ Untagged?: string; Deleted?: string }[]> {
    const res = this.store.remove(nameOrId, { force: !!opts.force, usedBy: this.usedBy });
    if (res.deleted) await this.collect(res.deleted);
    return res.items;
  }

  private async collect(img: ImageRow): Promise<void> {
    const used = new Set<string>();
    for (const other of this.store.all()) for (const c of chainIDs(other.layers.map((l) => l.diffID as Digest))) used.add(c);
    await this.unpacker.prune(img.layers.map((l) => l.diffID as Digest), used);
    const keep = this.store.referencedBlobs();
    for (const d of [img.id, img.manifestDigest, ...img.layers.map((l) => l.digest)]) {
      if (d && !keep.has(d)) await this.content.delete(d as Digest);
    }
  }

  /** `docker tag`: point `target` at the image `source` names. */
  tag(source: string, target: string): void {
    this.store.tag(source, target);
    this.tagTimes.touch(this.store.resolve(target).id);
  }

  /** `docker import`: a filesystem tar becomes a single-layer image (see image-import.ts). */
  async import(src: Readable, opts: ImportOptions = {}): Promise<ImageRow> {
    const row = await importImage({ content: this.content, unpacker: this.unpacker, store: this.store, events: this.events }, src, opts);
    if (opts.reference) this.tagTimes.touch(row.id);
    return row;
  }

  /**
   * `docker import <url>`: the archive is fetched with the engine's HTTP client (http and https
   * only, at most importMaxBytes) and imported as a file would be. `onDownload` is told once the
   * server has answered, before the body is read; errors before it change nothing at all.
   */
  async importFromURL(src: string, opts: ImportOptions, onDownload: (url: URL) => void, signal?: AbortSignal): Promise<ImageRow> {
    const url = importURL(src);
    const { body } = await openImportURL(this.http, url, this.importMaxBytes, signal);
    onDownload(url);
    return this.import(body, opts);
  }

  /** `docker image prune` (see image-prune.ts). */
  prune(opts: ImagePruneOptions): Promise<ImagePruneReport> {
    return pruneImages({ store: this.store, events: this.events, usedBy: this.usedBy, remove: (n, o) => this.remove(n, o) }, opts);
  }

  /** `docker pull` from a registry (see registry/pull.ts). */
  pull(name: string, opts: PullOptions, progress: Progress): Promise<ImageRow> {
    return this.distribution.pull(name, opts, progress);
  }

  /** `docker push` of one tag or digest, or of every local tag of the repository when `tag` is empty (see registry/push.ts). */
  push(name: string, tag: string, opts: { creds?: Credentials; signal?: AbortSignal }, progress: Progress, each?: (r: PushResult) => void): Promise<void> {
    return this.distribution.push(name, tag, opts, progress, each);
  }

  /** `docker login`: resolves when the registry accepts the credentials. */
  login(creds: Credentials, signal?: AbortSignal): Promise<void> {
    return this.distribution.login(creds, signal);
  }

  /** The manifest digest a registry serves for a tag now, by a HEAD request (see registry/manifest-head.ts). */
  remoteDigest(name: string, creds?: Credentials, signal?: AbortSignal): Promise<string> {
    return this.distribution.remoteDigest(name, creds, signal);
  }

  /** Ids of the containers created from the image. */
  users(imageId: string): string[] {
    return this.usedBy(imageId);
  }

  /** Overlay directories of the image's layers: the top one and those below it, top-most first. */
  layerDirs(row: ImageRow): { upper?: string; lowers: string[] } {
    const present = this.chainIDs(row).filter((c) => this.snapshots.stat(c)).reverse();
    const [top, ...rest] = present;
    return { upper: top && this.snapshots.upperDir(top), lowers: rest.map((c) => this.snapshots.upperDir(c)) };
  }

  /** Layer chainIDs of an image, bottom first (for the snapshotter). */
  chainIDs(row: ImageRow): Digest[] {
    return chainIDs(row.layers.map((l) => l.diffID as Digest));
  }

  snapshotOf(row: ImageRow): string | undefined {
    const top = this.chainIDs(row).at(-1);
    return top && this.snapshots.stat(top) ? top : undefined;
  }
}
