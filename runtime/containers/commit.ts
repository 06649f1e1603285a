import type { ContentStore } from '../content/store.ts';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors.ts';
import type { LayerRecord } from '../metadata/images.ts';
import { MediaType, type ImageConfig } from '../images/oci-types.ts';
import { familiarString, nameOnly, parseReference, refString, withTag, type Reference } from '../images/reference.ts';
import type { Digest } from '../util/digest.ts';
import type { ContainerContext } from './context.ts';
import { applyChanges, type CommitConfig } from './commit-changes.ts';
import { containerDiff } from './diff.ts';
import type { ContainerConfig } from './types.ts';

export interface CommitRequest {
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  /** Freeze a running container while its layer is read (Docker's default). */
  pause?: boolean;
  /** Dockerfile instructions applied to the new image's config. */
  changes?: string[];
  /** Replaces the container's config as the base of the new image's (the request body). */
  config?: Partial<ContainerConfig> | null;
}

/** How committed layers become shared snapshots: the engine's LayerUnpacker. */
export type UnpackLayers = (layers: { digest: Digest; mediaType: string; size: number }[], diffIDs: Digest[]) => Promise<LayerRecord[]>;

export interface CommitDeps { content: ContentStore; unpack: UnpackLayers }

/** The diffID of an archive with no entries (two zero blocks): Docker's empty layer. */
const EMPTY_LAYER = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

/** Docker's RepoTagReference: no repo means no name; a tag given apart replaces the repo's own. */
function commitReference(repo?: string, tag?: string): Reference | undefined {
  if (!repo) return undefined;
  const ref = parseReference(repo);
  if (ref.digest) throw new InvalidArgumentError(`refusing to create a tag with a digest reference: ${repo}`);
  return tag ? withTag(nameOnly(ref), tag) : ref;
}

/** moby's merge(userConf, imageConf): what the user's config leaves empty comes from the container's. */
function merge(user: CommitConfig, from: CommitConfig): CommitConfig {
  const out: CommitConfig = { ...user };
  if (!out.User) out.User = from.User;
  out.ExposedPorts = { ...(from.ExposedPorts ?? {}), ...(out.ExposedPorts ?? {}) };
  const key = (e: string): string => e.split('=')[0]!;
  if (!out.Env?.length) out.Env = from.Env;
  else {
    const keys = new Set(out.Env.map(key));
    out.Env = [...out.Env, ...(from.Env ?? []).filter((e) => !keys.has(key(e)))];
  }
  out.Labels = { ...(from.Labels ?? {}), ...(out.Labels ?? {}) };
  if (!out.Entrypoint?.length) {
    if (!out.Cmd?.length) out.Cmd = from.Cmd;
    if (out.Entrypoint == null) out.Entrypoint = from.Entrypoint;
  }
  if (!out.WorkingDir) out.WorkingDir = from.WorkingDir;
  out.Volumes = { ...(from.Volumes ?? {}), ...(out.Volumes ?? {}) };
  if (!out.StopSignal) out.StopSignal = from.StopSignal;
  return out;
}

function pick(c: Partial<ContainerConfig> & CommitConfig): CommitConfig {
  return { User: c.User, ExposedPorts: c.ExposedPorts, Env: c.Env, Entrypoint: c.Entrypoint, Cmd: c.Cmd, Volumes: c.Volumes, WorkingDir: c.WorkingDir, Labels: c.Labels, StopSignal: c.StopSignal, OnBuild: c.OnBuild };
}

/** The image config's `config`, empty fields left out. */
function imageRuntimeConfig(c: CommitConfig, healthcheck: ContainerConfig['Healthcheck']): NonNullable<ImageConfig['config']> {
  const nonEmpty = <T extends object>(o: T | null | undefined): T | undefined => (o && Object.keys(o).length ? o : undefined);
  const out: Record<string, unknown> = {
    User: c.User || undefined, ExposedPorts: nonEmpty(c.ExposedPorts), Env: c.Env?.length ? c.Env : undefined,
    Entrypoint: c.Entrypoint?.length ? c.Entrypoint : undefined, Cmd: c.Cmd?.length ? c.Cmd : undefined,
    Volumes: nonEmpty(c.Volumes), WorkingDir: c.WorkingDir || undefined, Labels: nonEmpty(c.Labels),
    StopSignal: c.StopSignal || undefined, OnBuild: c.OnBuild?.length ? c.OnBuild : undefined, Healthcheck: healthcheck,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as NonNullable<ImageConfig['config']>;
}

/**
 * Freeze the container for the commit. One whose process is exiting (its exit not yet recorded)
 * has nothing left to freeze: its layer is read as it is. Any other refusal is a conflict.
 */
async function pauseForCommit(ctx: ContainerContext, id: string): Promise<boolean> {
  try {
    await ctx.tasks.pause(id);
    return true;
  } catch {
    const state = await ctx.tasks.state(id).catch(() => undefined);
    if (!state || state.status === 'stopped') return false;
    throw new ConflictError(`Cannot pause container ${id} for the commit: it is ${state.status}; try again, or commit without pausing`);
  }
}

/** Read the writable layer into the content store, the container frozen meanwhile when asked. */
async function ingestLayer(ctx: ContainerContext, content: ContentStore, id: string, pause: boolean): Promise<{ digest: Digest; size: number }> {
  return ctx.lock.with(id, async () => {
    const row = ctx.meta.get(id)!;
    const freeze = pause && row.state.Running && !row.state.Paused && await pauseForCommit(ctx, id);
    try {
      return await content.ingest(containerDiff(ctx, id));
    } finally {
      if (freeze) await ctx.tasks.resume(id).catch(() => undefined);
    }
  });
}

/**
 * `docker commit`: the container's changes become one new layer on its image. The layer tar
 * goes into the content store, is unpacked once into a committed snapshot keyed by its chainID
 * (shared like any pulled layer), and a new image config (parent config + changes, history,
 * diff_ids) is registered under the requested name. Returns the new image id.
 */
export async function commitContainer(ctx: ContainerContext, deps: CommitDeps, id: string, req: CommitRequest): Promise<string> {
  const row = ctx.meta.get(id)!;
  // Everything the request can get wrong is checked before any work.
  const ref = commitReference(req.repo, req.tag);
  const base = req.config && typeof req.config === 'object' ? pick(req.config) : pick(row.record.Config);
  const config = merge(applyChanges(base, req.changes ?? []), pick(row.record.Config));
  const parentRow = ctx.images.get(row.record.Image);
  if (!parentRow) throw new NotFoundError(`No such image: ${row.record.Image}`);
  const parent = await ctx.images.config(parentRow.id);

  const layer = await ingestLayer(ctx, deps.content, id, req.pause ?? true);
  const empty = layer.digest === EMPTY_LAYER;
  const diffIDs = [...parent.rootfs.diff_ids as Digest[], ...(empty ? [] : [layer.digest])];
  const layers = empty ? parentRow.layers : await deps.unpack(
    [...parentRow.layers.map((l) => ({ digest: l.digest as Digest, mediaType: l.mediaType, size: l.size })), { digest: layer.digest, mediaType: MediaType.ociLayer, size: layer.size }],
    diffIDs,
  );
  if (empty && !ctx.images.referencedBlobs().has(layer.digest)) await deps.content.delete(layer.digest);

  const created = new Date().toISOString();
  const history = { created, ...(req.author ? { author: req.author } : {}), created_by: (row.record.Config.Cmd ?? []).join(' '), ...(req.comment ? { comment: req.comment } : {}), ...(empty ? { empty_layer: true } : {}) };
  const image: ImageConfig = {
    architecture: parent.architecture,
    ...(parent.variant ? { variant: parent.variant } : {}),
    os: parent.os,
    ...(parent['os.version'] ? { 'os.version': parent['os.version'] } : {}),
    ...(parent['os.features'] ? { 'os.features': parent['os.features'] } : {}),
    created,
    ...(req.author ? { author: req.author } : {}),
    config: imageRuntimeConfig(config, row.record.Config.Healthcheck),
    rootfs: { type: 'layers', diff_ids: diffIDs },
    history: [...(parent.history ?? []), history],
    // Docker's v1 config field: the image this one was committed from (image inspect's Parent).
    parent: parentRow.id,
  };
  const { digest: configDigest } = await deps.content.ingestBuffer(Buffer.from(JSON.stringify(image)));
  ctx.images.register({ configDigest, config: image, layers, repoTags: ref ? [refString(ref)] : [] });
  ctx.events.publish('container', 'commit', id, ctx.eventAttrs(row, { comment: req.comment ?? '', imageID: configDigest, imageRef: ref ? familiarString(ref) : '' }));
  return configDigest;
}
