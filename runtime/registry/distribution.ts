import type { ContentStore } from '../content/store.ts';
import type { EventBus } from '../events/bus.ts';
import type { ImageStore } from '../images/store.ts';
import type { ImageRow } from '../metadata/images.ts';
import type { Credentials } from './auth.ts';
import type { HttpClient } from './http.ts';
import { BlobFlights, Leases } from './flights.ts';
import { BlobSources } from './sources.ts';
import { pullImage, type PullOptions, type Unpack } from './pull.ts';
import { pushImage, tagsToPush, type PushResult } from './push.ts';
import { checkLogin } from './login.ts';
import { remoteManifestDigest } from './manifest-head.ts';
import type { Progress } from './progress.ts';

export interface DistributionDeps {
  content: ContentStore;
  store: ImageStore;
  /** Applies pulled layers into snapshots (the unpacker lives above this layer). */
  unpack: Unpack;
  events: EventBus;
  http: HttpClient;
  /** Layers moved at once per pull or push (dockerd's default is 3). */
  concurrency?: number;
  /** Blobs above this size are uploaded in PATCH chunks of `chunkSize` bytes. */
  chunkThreshold?: number;
  chunkSize?: number;
}

const MiB = 1 << 20;

/**
 * Pull, push and login against registries (the distribution spec). One per engine: it holds
 * the downloads in flight, shared by concurrent pulls, and what it learnt of blob sources.
 */
export class Distribution {
  private readonly flights = new BlobFlights();
  private readonly leases = new Leases();
  private readonly sources: BlobSources;
  private readonly concurrency: number;
  private readonly chunkThreshold: number;
  private readonly chunkSize: number;

  constructor(private readonly deps: DistributionDeps) {
    this.sources = new BlobSources(deps.store);
    this.concurrency = deps.concurrency ?? 3;
    this.chunkThreshold = deps.chunkThreshold ?? 64 * MiB;
    this.chunkSize = deps.chunkSize ?? 4 * MiB;
  }

  /** `docker pull`; a cancelled `signal` ends it unless another pull waits for the same blobs. */
  pull(name: string, opts: PullOptions, progress: Progress): Promise<ImageRow> {
    const { content, store, unpack, events, http } = this.deps;
    return pullImage({ content, store, unpack, events, http, flights: this.flights, leases: this.leases, sources: this.sources, concurrency: this.concurrency }, name, opts, progress);
  }

  /** `docker push` of one tag or digest, or of every local tag of the repository when `tag` is empty. */
  async push(name: string, tag: string, opts: { creds?: Credentials; signal?: AbortSignal }, progress: Progress, each?: (r: PushResult) => void): Promise<void> {
    const { content, store, events, http } = this.deps;
    const deps = { content, store, events, http, sources: this.sources, concurrency: this.concurrency, chunkThreshold: this.chunkThreshold, chunkSize: this.chunkSize };
    for (const t of tagsToPush(store, name, tag)) each?.(await pushImage(deps, name, t, opts, progress));
  }

  /** `docker login`: resolves when the registry accepts the credentials. */
  login(creds: Credentials, signal?: AbortSignal): Promise<void> {
    return checkLogin(this.deps.http, creds, signal);
  }

  /** The manifest digest the registry serves for a tag now, without pulling (update checks). */
  remoteDigest(name: string, creds?: Credentials, signal?: AbortSignal): Promise<string> {
    return remoteManifestDigest(this.deps.http, name, creds, signal);
  }
}

export type { PushResult } from './push.ts';
export type { PullOptions } from './pull.ts';
export type { Progress, ProgressMessage } from './progress.ts';
